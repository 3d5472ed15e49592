package io.per4m.bridge;

import io.per4m.session.CellResult;
import io.per4m.session.RecordingHandle;
import py4j.CallbackClient;
import py4j.Gateway;
import py4j.GatewayServer;
import py4j.Py4JException;
import py4j.ReturnObject;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The py4j gateway with only the facade's documented methods reachable (see {@link EngineFacade}): the calls the
 * notebook shim makes on the facade, the accessors of the records it returns, the walk over their lists, and the
 * message and class name of an exception a call threw. py4j would otherwise let a client call any public method
 * of any object it reaches ({@code getClass()} leads everywhere) and construct any class; static members,
 * constructors and everything else are refused (the shim sends its requests as JSON strings, so it never needs
 * to build a Java object).
 */
final class FacadeGateway extends Gateway {
    static final Set<String> FACADE_METHODS = Set.of("version", "startRecording", "endCell", "finishCell",
            "attached", "detach");
    private static final Set<String> EVERY_OBJECT = Set.of("toString", "equals", "hashCode");
    private static final Set<String> LIST_METHODS = Set.of("size", "get", "isEmpty", "iterator");
    private static final Set<String> ITERATOR_METHODS = Set.of("hasNext", "next");
    /** What the shim asks of an exception a call threw, and of its class: its name. */
    private static final Set<String> ERROR_METHODS = Set.of("getMessage", "getLocalizedMessage", "getClass",
            "toString");
    private static final Set<String> CLASS_METHODS = Set.of("getName", "getSimpleName");

    /** {@code address}: where py4j would call back into Python; the shim starts no callback server, so never used. */
    FacadeGateway(EngineFacade facade, InetAddress address) {
        super(facade, new CallbackClient(GatewayServer.DEFAULT_PYTHON_PORT, address));
    }

    @Override
    public ReturnObject invoke(String methodName, String targetObjectId, List<Object> args) {
        Object target = getObject(targetObjectId);
        if (target == null || !reachable(target, methodName)) {
            return ReturnObject.getErrorReturnObject(new Py4JException(
                    "per4m gateway: " + methodName + " is not one of the facade's methods"));
        }
        return super.invoke(methodName, targetObjectId, args);
    }

    @Override
    public ReturnObject invoke(String fqn, List<Object> args) {
        return ReturnObject.getErrorReturnObject(new Py4JException("per4m gateway: constructors are not reachable"));
    }

    static boolean reachable(Object target, String methodName) {
        if (target instanceof EngineFacade) {
            return FACADE_METHODS.contains(methodName) || EVERY_OBJECT.contains(methodName);
        }
        if (target instanceof RecordingHandle || target instanceof CellResult) {
            return EVERY_OBJECT.contains(methodName) || isComponent(target.getClass(), methodName);
        }
        if (target instanceof List<?>) {
            return LIST_METHODS.contains(methodName) || EVERY_OBJECT.contains(methodName);
        }
        if (target instanceof Iterator<?>) {
            return ITERATOR_METHODS.contains(methodName);
        }
        if (target instanceof Throwable) {
            return ERROR_METHODS.contains(methodName);
        }
        if (target instanceof Class<?>) {
            return CLASS_METHODS.contains(methodName);
        }
        return false;
    }

    private static boolean isComponent(Class<?> record, String name) {
        for (var component : record.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
