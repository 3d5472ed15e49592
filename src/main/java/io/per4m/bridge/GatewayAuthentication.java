package io.per4m.bridge;

import py4j.Protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * py4j's authentication exchange ({@code A\n<token>\n}, answered with a void or an error), done before py4j sees
 * the connection: within a deadline, reading at most a line's worth of bytes, and byte by byte so that commands
 * the client sent right behind the token stay in the socket for py4j.
 */
final class GatewayAuthentication {
    private final byte[] token;
    private final long deadlineMillis;
    private final int maxLineBytes;

    GatewayAuthentication(String token, long deadlineMillis) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.deadlineMillis = deadlineMillis;
        this.maxLineBytes = this.token.length + 2;
    }

    /** True when the client sent the token in time; otherwise it was told so (if it still listens). */
    boolean authenticate(Socket socket) throws IOException {
        long deadline = System.nanoTime() + deadlineMillis * 1_000_000;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        try {
            byte[] command = line(socket, in, deadline);
            byte[] clientToken = command == null ? null : line(socket, in, deadline);
            boolean ok = command != null && new String(command, StandardCharsets.UTF_8).equals(Protocol.AUTH_COMMAND_NAME)
                    && clientToken != null && MessageDigest.isEqual(token, clientToken);
            out.write((ok ? Protocol.getOutputVoidCommand()
                    : Protocol.getOutputErrorCommand("Authentication error: bad auth token received."))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            return ok;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** The next line without its '\n', or null when it is longer than a token line or the stream ended. */
    private byte[] line(Socket socket, InputStream in, long deadline) throws IOException {
        byte[] line = new byte[maxLineBytes];
        int length = 0;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no authentication within " + deadlineMillis + " ms");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                return java.util.Arrays.copyOf(line, length > 0 && line[length - 1] == '\r' ? length - 1 : length);
            }
            if (length == maxLineBytes) {
                return null;
            }
            line[length++] = (byte) b;
        }
    }
}
