package io.ved.tooling.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of one broker listener that can be turned into a black hole: while it is one,
 * connections are still accepted and kept open, but not one byte moves in either direction, as when a network
 * path silently drops packets. Clients see no error, only requests that never get an answer, until their own
 * timeouts; once {@link #restore()}d, what was held moves on (as TCP retransmits after a partition heals), and
 * connections accepted meanwhile reach the broker. Thread-safe.
 */
final class BlackHoleProxy implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int port;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean blackHoled;

    /** Listens on {@code port} at once and forwards to {@code targetPort} on loopback. */
    BlackHoleProxy(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(LOOPBACK, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for the proxy to " + targetPort, e);
        }
        Thread.ofPlatform().daemon().name("ved-verify-proxy-" + port).start(this::accept);
    }

    int port() {
        return port;
    }

    /** From now on nothing moves; connections stay open and new ones are accepted. */
    void blackHole() {
        synchronized (gate) {
            blackHoled = true;
        }
    }

    /** Traffic flows again, held bytes first. */
    void restore() {
        synchronized (gate) {
            blackHoled = false;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (blackHoled) {
                gate.wait();
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            open.add(client);
            // connecting upstream waits for the gate too: a black hole answers no SYN-ACK from the broker either
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        try {
            awaitOpen();
            Socket upstream = new Socket(LOOPBACK, targetPort);
            open.add(upstream);
            Thread.ofVirtual().start(() -> pump(client, upstream));
            pump(upstream, client);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                awaitOpen();
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                awaitOpen();  // a read that was blocked when the hole opened must not deliver
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException closed) {
            // one side is gone: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        restore();
        closeQuietly(server);
        open.forEach(BlackHoleProxy::closeQuietly);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
