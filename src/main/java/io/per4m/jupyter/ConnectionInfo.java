package io.per4m.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.annotations.SerializedName;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A Jupyter connection file: where the kernel's five sockets listen and the key messages are signed with. */
public record ConnectionInfo(String transport, String ip,
                             @SerializedName("shell_port") int shellPort,
                             @SerializedName("iopub_port") int iopubPort,
                             @SerializedName("stdin_port") int stdinPort,
                             @SerializedName("control_port") int controlPort,
                             @SerializedName("hb_port") int hbPort,
                             String key,
                             @SerializedName("signature_scheme") String signatureScheme) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** Loopback ports that are free now, and a fresh random key. */
    public static ConnectionInfo fresh() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        int[] ports = freePorts(5);
        return new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                HexFormat.of().formatHex(key), "hmac-sha256");
    }

    public static ConnectionInfo read(Path file) throws IOException {
        return GSON.fromJson(Files.readString(file), ConnectionInfo.class);
    }

    /** Writes the file readable by its owner only: it holds the signing key. */
    public void write(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, GSON.toJson(this));
    }

    public String address(int port) {
        return transport + "://" + ip + ":" + port;
    }

    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }
}
