package io.per4m.bridge;

import py4j.Gateway;
import py4j.GatewayConnection;
import py4j.GatewayServer;
import py4j.GatewayServerListener;
import py4j.Py4JServerConnection;
import py4j.commands.CallCommand;
import py4j.commands.Command;
import py4j.commands.ConstructorCommand;
import py4j.commands.ExceptionCommand;
import py4j.commands.MemoryCommand;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * py4j's gateway server with the connection's first moments guarded: a connection is handed to py4j (which gives it
 * a thread of its own) only once it authenticated, within {@link #AUTH_DEADLINE_MILLIS}; at most
 * {@link #MAX_PENDING} connections authenticate at once, on a pool of that many threads, and any more are closed
 * at once. py4j's own authentication would give every idle connection a thread forever and read an auth line of
 * any length. Authenticated connections get only the commands the facade's calls need.
 */
final class GuardedGatewayServer extends GatewayServer {
    static final long AUTH_DEADLINE_MILLIS = 3_000;
    static final int MAX_PENDING = 8;
    /**
     * Method calls, constructors (which {@link FacadeGateway} refuses, each with an error), reference release, and
     * the Java stack of an exception: no reflection, JVM views, fields, arrays, streams or server shutdown.
     */
    private static final Set<Class<? extends Command>> COMMANDS = Set.of(CallCommand.class, ConstructorCommand.class,
            MemoryCommand.class, ExceptionCommand.class);

    private final GatewayAuthentication authentication;
    private final ThreadPoolExecutor pending;

    GuardedGatewayServer(EngineFacade facade, InetAddress address, String token) {
        super(new FacadeGateway(facade, address), 0, address, 0, 0, new ArrayList<>(), ServerSocketFactory.getDefault());
        this.authentication = new GatewayAuthentication(token, AUTH_DEADLINE_MILLIS);
        AtomicInteger threads = new AtomicInteger();
        this.pending = new ThreadPoolExecutor(0, MAX_PENDING, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "per4m-gateway-auth-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    protected void processSocket(Socket socket) {
        try {
            pending.execute(() -> authenticateThenServe(socket));
        } catch (RejectedExecutionException e) {
            closeQuietly(socket);
        }
    }

    private void authenticateThenServe(Socket socket) {
        try {
            if (authentication.authenticate(socket)) {
                super.processSocket(socket);
                return;
            }
        } catch (IOException e) {
            // the client went away during authentication
        }
        closeQuietly(socket);
    }

    @Override
    protected Py4JServerConnection createConnection(Gateway gateway, Socket socket) throws IOException {
        GatewayConnection connection = new FacadeConnection(gateway, socket, List.of(this));
        connection.startConnection();
        return connection;
    }

    @Override
    public void shutdown(boolean shutdownCallbackClient) {
        pending.shutdownNow();
        super.shutdown(shutdownCallbackClient);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection we refuse: nothing to tell anyone
        }
    }

    /** A py4j connection with the commands of {@link #COMMANDS} only, already authenticated. */
    private static final class FacadeConnection extends GatewayConnection {
        FacadeConnection(Gateway gateway, Socket socket, List<GatewayServerListener> listeners) throws IOException {
            super(gateway, socket, null, null, listeners);
        }

        @Override
        protected void initCommands(Gateway gateway, List<Class<? extends Command>> commandsClazz) {
            super.initCommands(gateway, commandsClazz.stream().filter(COMMANDS::contains).toList());
        }
    }
}
