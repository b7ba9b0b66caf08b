package org.dpopj.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to a server on 127.0.0.1, as light as a load client can be: it
 * writes request bytes built beforehand and reads the status line, the headers and the body (by
 * {@code Content-Length} or chunked), keeping only the status and one header. A load generator that
 * shares two cores with the server must spend as little of them as it can; {@code java.net.http}
 * costs several times more per request. Reconnects when the server closes the connection (Payara
 * closes a keep-alive connection after a number of requests). Not thread-safe: one per sender thread.
 */
public final class LoopbackConnection implements AutoCloseable {

    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] line = new byte[16 * 1024];
    private String wantedHeader = "www-authenticate";
    private String header;

    /** @param base a URL on 127.0.0.1 (anything else is refused) */
    public LoopbackConnection(URI base) {
        if (!"127.0.0.1".equals(base.getHost())) {
            throw new IllegalArgumentException("loopback only: the URL must be on 127.0.0.1");
        }
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
    }

    /** @return the value of {@code WWW-Authenticate} (or the header named by {@link #keep}) of the last response, or null */
    public String header() {
        return header;
    }

    /** @param name the response header whose value {@link #header()} returns from now on */
    public void keep(String name) {
        wantedHeader = name.toLowerCase(Locale.ROOT);
    }

    /**
     * Sends one request made of {@code parts} (written one after the other) and reads the whole response.
     *
     * @return the status code, or 0 when the exchange failed
     */
    public int send(byte[]... parts) {
        try {
            if (socket == null) {
                connect();
            }
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            return 0;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (status == null || !status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("no HTTP/1.1 status line");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        header = null;
        for (String h = readLine(); h != null && !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {
                }
            }
            if (name.equals(wantedHeader)) {
                header = value;
            }
        }
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                skip(size);
                readLine();
            }
            for (String trailer = readLine(); trailer != null && !trailer.isEmpty(); trailer = readLine()) {
                // trailers, if any, are read and dropped
            }
        } else if (length >= 0) {
            skip(length);
        } else if (code != 204 && code != 304) {
            close = true;
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (close) {
            close();
        }
        return code;
    }

    private long chunkSize() throws IOException {
        String size = readLine();
        if (size == null) {
            throw new IOException("end of stream inside a chunked body");
        }
        int semicolon = size.indexOf(';');
        return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("end of stream inside a body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private String readLine() throws IOException {
        int n = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (n == line.length) {
                throw new IOException("header line too long");
            }
            line[n++] = (byte) b;
        }
        if (n == 0) {
            return null;
        }
        throw new IOException("end of stream inside a line");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a loopback socket that failed already: nothing to recover
            }
        }
        socket = null;
        out = null;
        in = null;
    }
}
