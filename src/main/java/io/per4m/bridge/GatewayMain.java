package io.per4m.bridge;

import py4j.GatewayServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The engine as a py4j gateway for the notebook shim:
 * {@code java -cp per4m.jar io.per4m.bridge.GatewayMain}.
 * <p>
 * Protocol with the parent: the first stdin line is the auth token (never on the command line or in the
 * environment, where others could read it); the gateway binds 127.0.0.1 on a free port and prints
 * {@code PER4M_GATEWAY_PORT <port>} on stdout; it exits when stdin reaches EOF, which happens when the parent
 * closes it or dies, so the JVM is never orphaned. Connections authenticate within a deadline before py4j serves
 * them, and reach only the facade's documented methods ({@link GuardedGatewayServer}, {@link FacadeGateway}).
 */
public final class GatewayMain {
    static final String PORT_LINE_PREFIX = "PER4M_GATEWAY_PORT ";
    static final int MIN_TOKEN_LENGTH = 16;

    private GatewayMain() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String token = stdin.readLine();
        if (token == null || token.strip().length() < MIN_TOKEN_LENGTH) {
            System.err.println("per4m gateway: expected an auth token of at least " + MIN_TOKEN_LENGTH
                    + " characters as the first line on stdin");
            System.exit(2);
            return;
        }
        EngineFacade facade = new EngineFacade();
        GatewayServer server = new GuardedGatewayServer(facade, InetAddress.getByName("127.0.0.1"), token.strip());
        Runtime.getRuntime().addShutdownHook(new Thread(facade::shutdown, "per4m-gateway-shutdown"));
        server.start();

        PrintStream out = System.out;
        out.println(PORT_LINE_PREFIX + server.getListeningPort());
        out.flush();
        // Anything else written to stdout would mix into the handshake channel; keep it on stderr.
        System.setOut(System.err);

        waitForEof(stdin);
        facade.shutdown();
        server.shutdown();
        System.exit(0);
    }

    private static void waitForEof(BufferedReader stdin) {
        try {
            while (stdin.readLine() != null) {
                // The parent writes nothing more; we only wait for it to go away.
            }
        } catch (IOException e) {
            // A broken stdin means the parent is gone just as EOF does.
        }
    }
}
