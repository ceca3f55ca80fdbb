package dev.tracewh.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that asks every client for its password in clear text, notes it with the startup parameters,
 * and refuses the login. The test server of .ci/run trusts every client, so it never asks: this one shows what a
 * client would send to a server that checks passwords.
 */
public final class PasswordCheckingServer
        implements AutoCloseable
{
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_ENCRYPTION_REQUEST = 80877104;
    private static final int AUTHENTICATION_CLEARTEXT_PASSWORD = 3;

    /** One login: the startup parameters ({@code user}, {@code database}, ...) and the password, null when none was sent. */
    public record Login(Map<String, String> parameters, String password) {}

    private final ServerSocket socket;
    private final BlockingQueue<Login> logins = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    private PasswordCheckingServer(ServerSocket socket)
    {
        this.socket = socket;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    public static PasswordCheckingServer start()
    {
        try {
            return new PasswordCheckingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server as {@code host:port}. */
    public String address()
    {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** The next login, waiting for it. */
    public Login nextLogin()
            throws InterruptedException
    {
        Login login = logins.poll(60, TimeUnit.SECONDS);
        if (login == null) {
            throw new IllegalStateException("no client logged in to " + address());
        }
        return login;
    }

    private void accept()
    {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                logins.add(login(new DataInputStream(client.getInputStream()), new DataOutputStream(client.getOutputStream())));
            }
            catch (SocketException closed) {
                return;
            }
            catch (IOException e) {
                // a client that went away half-way: the test waiting for its login says so
            }
        }
    }

    private static Login login(DataInputStream in, DataOutputStream out)
            throws IOException
    {
        while (true) {
            int length = in.readInt();
            int code = in.readInt();
            if (code == SSL_REQUEST || code == GSS_ENCRYPTION_REQUEST) {
                out.writeByte('N');
                out.flush();
                continue;
            }
            byte[] body = new byte[length - 8];
            in.readFully(body);
            Map<String, String> parameters = parameters(body);
            out.writeByte('R');
            out.writeInt(8);
            out.writeInt(AUTHENTICATION_CLEARTEXT_PASSWORD);
            out.flush();
            String password;
            try {
                int type = in.readByte();
                byte[] message = new byte[in.readInt() - 4];
                in.readFully(message);
                password = type == 'p' ? new String(message, 0, message.length - 1, StandardCharsets.UTF_8) : null;
            }
            catch (EOFException noPassword) {
                return new Login(parameters, null);
            }
            refuse(out);
            return new Login(parameters, password);
        }
    }

    private static Map<String, String> parameters(byte[] body)
    {
        Map<String, String> parameters = new LinkedHashMap<>();
        String[] fields = new String(body, StandardCharsets.UTF_8).split("\0");
        for (int i = 0; i + 1 < fields.length; i += 2) {
            parameters.put(fields[i], fields[i + 1]);
        }
        return parameters;
    }

    private static void refuse(DataOutputStream out)
            throws IOException
    {
        byte[] fields = "SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed (test server)\0\0".getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close()
            throws InterruptedException
    {
        try {
            socket.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor.join();
    }
}
