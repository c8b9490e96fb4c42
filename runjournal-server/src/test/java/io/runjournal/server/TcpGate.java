package io.runjournal.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port in front of another (a database) that a test opens and shuts: while shut, every
 * connection is accepted and closed at once, as a database that is down or still starting would
 * look to a client; while open, bytes are forwarded both ways. Shutting also cuts the connections
 * it forwards. Thread-safe.
 */
final class TcpGate implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean open;
  private volatile boolean closed;

  private TcpGate(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
  }

  /** A shut gate on a free loopback port in front of {@code targetPort} on 127.0.0.1. */
  static TcpGate shutInFrontOf(int targetPort) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    TcpGate gate = new TcpGate(listener, targetPort);
    Thread.ofVirtual().name("tcp-gate-" + listener.getLocalPort()).start(gate::acceptLoop);
    return gate;
  }

  /** The gate's port. */
  int port() {
    return listener.getLocalPort();
  }

  /** Forwards new connections from now on. */
  void open() {
    open = true;
  }

  /** Refuses new connections and cuts the forwarded ones. */
  void shut() {
    open = false;
    sockets.forEach(TcpGate::closeQuietly);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (!open) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: the other is closed below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    shut();
    try {
      listener.close();
    } catch (SocketException e) {
      // already closed
    } catch (IOException e) {
      throw new IllegalStateException("cannot close the gate's listener", e);
    }
  }
}
