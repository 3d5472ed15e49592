package io.per4m.jupyter;

import com.google.gson.JsonArray;
import io.per4m.jupyter.messages.ExecuteReply;
import io.per4m.jupyter.messages.ExecuteRequest;
import io.per4m.jupyter.messages.InterruptRequest;
import io.per4m.jupyter.messages.KernelInfoRequest;
import io.per4m.jupyter.messages.Message;
import io.per4m.jupyter.messages.ShutdownRequest;
import io.per4m.jupyter.messages.Status;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

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
        awaitReady(timeout, () -> true);
    }

    /** As {@link #awaitReady(Duration)}, giving up as soon as {@code alive} says the kernel's process has ended. */
    public void awaitReady(Duration timeout, BooleanSupplier alive) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IOException("the kernel's process ended");
            }
            send(shell, codec.request(new KernelInfoRequest()));
            long until = Math.min(deadline, System.nanoTime() + Duration.ofMillis(500).toNanos());
            Message message;
            while ((message = receive(iopub, until)) != null) {
                if (message.content() instanceof Status) {
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
        Message request = codec.request(ExecuteRequest.cell(code));
        send(shell, request);
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonArray outputs = new JsonArray();
        boolean idle = false;
        while (!idle) {
            Message message = receive(iopub, deadline);
            if (message == null) {
                throw new IOException("the cell did not finish within " + timeout.toSeconds() + " s");
            }
            if (message.parentId().equals(request.id())) {
                idle = message.content(Status.class).map(Status::idle).orElse(false);
                NotebookOutputs.append(outputs, message.content());
            }
        }
        ExecuteReply reply = null;
        while (reply == null) {
            Message message = receive(shell, deadline);
            if (message == null) {
                throw new IOException("no execute_reply within " + timeout.toSeconds() + " s");
            }
            if (message.parentId().equals(request.id())) {
                reply = message.content(ExecuteReply.class).orElse(null);
            }
        }
        int count = reply.executionCount() == null ? 0 : reply.executionCount();
        return new CellOutcome(reply.status(), count, outputs);
    }

    /** Asks the kernel to interrupt the running cell (for kernels with interrupt_mode "message"). */
    public void interrupt() {
        send(control, codec.request(new InterruptRequest()));
    }

    /** Asks the kernel to exit; the caller still waits for the process. */
    public void shutdown() {
        send(control, codec.request(new ShutdownRequest(false)));
    }

    private void send(ZMQ.Socket socket, Message message) {
        codec.encode(message).send(socket);
    }

    private Message receive(ZMQ.Socket socket, long deadlineNanos) {
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
