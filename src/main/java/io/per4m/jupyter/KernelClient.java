package io.per4m.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.io.IOException;
import java.time.Duration;

/** A Jupyter client speaking the wire protocol to one kernel over its shell, IOPub and control sockets. */
public final class KernelClient implements AutoCloseable {
    private final ZContext context = new ZContext();
    private final WireCodec codec;
    private final ZMQ.Socket shell;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket control;

    public KernelClient(ConnectionInfo connection) {
        codec = new WireCodec(connection.key());
        shell = socket(SocketType.DEALER, connection.address(connection.shellPort()));
        control = socket(SocketType.DEALER, connection.address(connection.controlPort()));
        iopub = socket(SocketType.SUB, connection.address(connection.iopubPort()));
        iopub.subscribe(new byte[0]);
    }

    private ZMQ.Socket socket(SocketType type, String address) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(0);
        socket.connect(address);
        return socket;
    }

    /**
     * Waits until the kernel answers and IOPub delivers: a SUB socket misses what is published before it
     * is connected, so kernel_info requests are repeated until a status message arrives on IOPub.
     */
    public void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            send(shell, codec.request("kernel_info_request", new JsonObject()));
            long until = Math.min(deadline, System.nanoTime() + Duration.ofMillis(500).toNanos());
            JupyterMessage message;
            while ((message = receive(iopub, until)) != null) {
                if (message.type().equals("status")) {
                    drain(shell);
                    drain(iopub);
                    return;
                }
            }
        }
        throw new IOException("the kernel did not answer within " + timeout.toSeconds() + " s");
    }

    /** Runs {@code code} and collects its outputs until the kernel is idle again. */
    public CellOutcome execute(String code, Duration timeout) throws IOException {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        content.addProperty("store_history", true);
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        content.addProperty("stop_on_error", true);
        JupyterMessage request = codec.request("execute_request", content);
        send(shell, request);
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonArray outputs = new JsonArray();
        boolean idle = false;
        while (!idle) {
            JupyterMessage message = receive(iopub, deadline);
            if (message == null) {
                throw new IOException("the cell did not finish within " + timeout.toSeconds() + " s");
            }
            if (message.parentId().equals(request.id())) {
                idle = message.type().equals("status")
                        && "idle".equals(message.content().get("execution_state").getAsString());
                NotebookOutputs.append(outputs, message);
            }
        }
        JupyterMessage reply;
        do {
            reply = receive(shell, deadline);
            if (reply == null) {
                throw new IOException("no execute_reply within " + timeout.toSeconds() + " s");
            }
        } while (!reply.parentId().equals(request.id()));
        JsonObject replyContent = reply.content();
        int count = replyContent.has("execution_count") && !replyContent.get("execution_count").isJsonNull()
                ? replyContent.get("execution_count").getAsInt() : 0;
        return new CellOutcome(replyContent.get("status").getAsString(), count, outputs);
    }

    /** Asks the kernel to interrupt the running cell (for kernels with interrupt_mode "message"). */
    public void interrupt() {
        send(control, codec.request("interrupt_request", new JsonObject()));
    }

    /** Asks the kernel to exit; the caller still waits for the process. */
    public void shutdown() {
        JsonObject content = new JsonObject();
        content.addProperty("restart", false);
        send(control, codec.request("shutdown_request", content));
    }

    private void send(ZMQ.Socket socket, JupyterMessage message) {
        codec.encode(message).send(socket);
    }

    private JupyterMessage receive(ZMQ.Socket socket, long deadlineNanos) {
        long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            return null;
        }
        socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, remainingMs));
        ZMsg frames = ZMsg.recvMsg(socket);
        return frames == null ? null : codec.decode(frames);
    }

    private static void drain(ZMQ.Socket socket) {
        while (ZMsg.recvMsg(socket, ZMQ.DONTWAIT) != null) {
            // stale replies of the readiness probe
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
