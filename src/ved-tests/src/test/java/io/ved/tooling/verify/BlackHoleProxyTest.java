package io.ved.tooling.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.tooling.stack.EmbeddedKafka;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The verifier's network fault on real loopback sockets: bytes flow, a black hole holds them without closing the
 * connection or refusing new ones, and a restore delivers what was held.
 */
class BlackHoleProxyTest {

    @Test
    void aBlackHoleHoldsBytesSilentlyAndARestoreDeliversThem() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             BlackHoleProxy proxy = new BlackHoleProxy(EmbeddedKafka.freePort(), echo.getLocalPort())) {
            Thread.ofVirtual().start(() -> serveEcho(echo));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                client.setSoTimeout(500);
                assertThat(roundTrip(client, "one")).isEqualTo("one");

                proxy.blackHole();
                write(client, "two");
                assertThat(readOrTimeout(client)).as("nothing comes back through the hole").isNull();
                try (Socket during = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                    assertThat(during.isConnected()).as("a new connection is still accepted").isTrue();
                }

                proxy.restore();
                client.setSoTimeout(5_000);
                assertThat(read(client)).as("what was held arrives once restored").isEqualTo("two");
                assertThat(roundTrip(client, "three")).isEqualTo("three");
            }
        }
    }

    private static void serveEcho(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        write(s, text);
        return read(s);
    }

    private static void write(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes.length);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    private static String read(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] bytes = new byte[in.read()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String readOrTimeout(Socket s) throws IOException {
        try {
            return read(s);
        } catch (SocketTimeoutException timedOut) {
            return null;
        }
    }
}
