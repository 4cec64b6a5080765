package io.rushcoupon.harness.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.proxy.TcpProxy;
import io.rushcoupon.harness.redis.RedisServerProcess;

import io.rushcoupon.harness.kafka.KraftBroker.ClientListener;

/** The servers fault tests break on purpose: a broker that restarts whole, a Redis that restarts empty. */
class FaultServersIntegrationTest {

    @Test
    void brokerRestartedOnItsPortsKeepsItsRecordsAndServesClientsOfAProxiedListener() throws Exception {
        int listenerPort = FreePorts.free();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", listenerPort);
                KraftBroker broker = KraftBroker.start(1, Map.of(), List.of(
                        new ClientListener("PROXIED", listenerPort, "127.0.0.1:" + proxy.port())))) {
            broker.createTopics(new NewTopic("restart-check", 1, (short) 1));
            // written through the proxy: the listener advertises the proxy, so the producer stays behind it
            send(broker.bootstrapServers("PROXIED"), "before");
            broker.stop();
            assertThat(broker.running()).isFalse();
            broker.restart();
            send(broker.bootstrapServers(), "after");

            assertThat(broker.bootstrapServers("PROXIED")).isEqualTo("127.0.0.1:" + proxy.port());
            assertThat(readAll(broker.bootstrapServers(), 2)).containsExactly("before", "after");
        }
    }

    @Test
    void producerBehindACutProxyCannotReachTheBroker() throws Exception {
        int listenerPort = FreePorts.free();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", listenerPort);
                KraftBroker broker = KraftBroker.start(1, Map.of(), List.of(
                        new ClientListener("PROXIED", listenerPort, "127.0.0.1:" + proxy.port())))) {
            broker.createTopics(new NewTopic("cut-check", 1, (short) 1));
            proxy.cut();
            // no metadata can arrive: send() gives up after max.block.ms (3 s) and fails the future
            assertThatThrownBy(() -> {
                try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers("PROXIED"))) {
                    producer.send(new ProducerRecord<>("cut-check", "lost")).get(30, TimeUnit.SECONDS);
                }
            }).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
                    .hasMessageContaining("cut-check not present in metadata");
        }
    }

    @Test
    void redisKilledAndRestartedComesBackEmptyOnTheSamePort() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(Path.of("target", "redis-fault-check.log"))) {
            int port = redis.port();
            assertThat(command(port, "SET rush-key 1")).startsWith("+OK");
            assertThat(command(port, "GET rush-key")).contains("1");

            redis.kill();
            assertThat(redis.running()).isFalse();
            assertThatThrownBy(() -> command(port, "PING")).isInstanceOf(IOException.class);
            redis.restartEmpty();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(command(port, "GET rush-key")).startsWith("$-1");
        }
    }

    private static void send(String bootstrap, String value) throws Exception {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>("restart-check", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(String bootstrap, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("restart-check"));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** One inline Redis command; the raw reply's first line. */
    private static String command(int port, String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                reply.append((char) c);
            }
            if (reply.isEmpty()) {
                throw new IOException("no reply");
            }
            if (reply.charAt(0) == '$' && !reply.toString().startsWith("$-1")) {
                // a bulk string: its value is on the next line
                StringBuilder value = new StringBuilder();
                while ((c = in.read()) != -1 && c != '\n') {
                    value.append((char) c);
                }
                reply.append(' ').append(value.toString().trim());
            }
            return reply.toString().trim();
        }
    }
}
