package org.dpopj.it;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;

/**
 * A Java agent for server JVMs that makes RMI server sockets listen on the loopback address only.
 *
 * <p>Open Liberty's Arquillian adapter drives the server over the JDK's local JMX connector, whose
 * RMI server socket binds the wildcard address (its socket factory merely refuses remote peers).
 * Start the server JVM with
 * {@code -javaagent:<it-common jar> -Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.local.only=false -Djava.rmi.server.hostname=127.0.0.1}:
 * the local connector then starts at boot, after this agent, with no socket factory of its own, so
 * RMI falls back to the default factory set here and listens on 127.0.0.1.
 */
public final class LoopbackRmiAgent {

    private LoopbackRmiAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) throws IOException {
        RMISocketFactory.setSocketFactory(new LoopbackSocketFactory());
    }

    private static final class LoopbackSocketFactory extends RMISocketFactory {

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return new Socket(host, port);
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }
    }
}
