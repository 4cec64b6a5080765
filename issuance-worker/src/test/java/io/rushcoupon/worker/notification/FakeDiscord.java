package io.rushcoupon.worker.notification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for Discord's webhook endpoint on 127.0.0.1: answers from a script (then 204), and
 * records what arrived and when. It can be stopped and started again on the same port.
 */
final class FakeDiscord implements AutoCloseable {

    static final String TOKEN = "s3cr3t-T0ken-of-the-webhook-that-must-never-be-logged";
    static final String WEBHOOK_PATH = "/api/webhooks/123456/" + TOKEN;

    /** One request that arrived: its body, content type and arrival (System.nanoTime). */
    record Received(String body, String contentType, long arrivedNanos) {
    }

    /** One scripted answer. */
    record Answer(int status, String body, Map<String, String> headers) {

        static Answer of(int status) {
            return new Answer(status, "", Map.of());
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private int port;
    private HttpServer server;

    FakeDiscord() {
        start(0);
    }

    String url() {
        return "http://127.0.0.1:" + port + WEBHOOK_PATH;
    }

    synchronized void answer(Answer... answers) {
        script.addAll(List.of(answers));
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    void stop() {
        server.stop(0);
    }

    /** Starts again on the port it had. */
    void restart() {
        start(port);
    }

    private void start(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/", exchange -> {
            received.add(new Received(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Content-Type"), System.nanoTime()));
            Answer answer = next();
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    private synchronized Answer next() {
        Answer answer = script.poll();
        return answer == null ? Answer.of(204) : answer;
    }

    @Override
    public void close() {
        stop();
    }
}
