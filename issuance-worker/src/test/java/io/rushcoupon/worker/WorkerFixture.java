package io.rushcoupon.worker;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.redisson.api.RedissonClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.testsupport.RealServers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays the gateway and the admin in worker tests: coupon rows by SQL, coupon state published to
 * Redis, requests admitted with the gateway's pre-check script and sent to Kafka as the gateway
 * would. Talks to PostgreSQL directly (not through the worker's data source, which a test may cut).
 */
public final class WorkerFixture implements AutoCloseable {

    public static final Duration REQUEST_TTL = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final RedissonClient redisson;
    private final CouponRedis couponRedis;
    private final KafkaProducer<String, byte[]> producer;
    private final JsonMapper json = JsonMapper.builder().build();

    public WorkerFixture(RedissonClient redisson) {
        RealServers servers = RealServers.get();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(servers.schemaJdbcUrl(),
                servers.jdbcUser(), servers.jdbcPassword());
        this.jdbc = JdbcClient.create(dataSource);
        this.redisson = redisson;
        this.couponRedis = new CouponRedis(redisson);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public CouponRedis couponRedis() {
        return couponRedis;
    }

    /** Empties this module's tables and Redis database. */
    public void clean() {
        jdbc.sql("TRUNCATE coupon_issuance, issue_rejection, app_user, coupon, notification RESTART IDENTITY CASCADE").update();
        redisson.getKeys().flushdb();
    }

    /** A coupon open for an hour, in PostgreSQL and published to Redis with the same stock. */
    public void openCoupon(long couponId, int total) {
        openCoupon(couponId, total, total, total);
    }

    /** A coupon whose PostgreSQL and Redis stock may differ (Redis drifted). */
    public void openCoupon(long couponId, int total, int databaseRemaining, int redisRemaining) {
        Instant now = Instant.now();
        jdbc.sql("""
                INSERT INTO coupon (id, code, name, type, discount_value, total_quantity, remaining_quantity,
                                    state, issue_starts_at, issue_ends_at, valid_days)
                VALUES (:id, :code, :name, 'FIXED_AMOUNT', 1000, :total, :remaining, 'ACTIVE', :starts, :ends, 7)
                """)
                .param("id", couponId)
                .param("code", "C" + couponId)
                .param("name", "Coupon " + couponId)
                .param("total", total)
                .param("remaining", databaseRemaining)
                .param("starts", Timestamp.from(now.minus(Duration.ofMinutes(1))))
                .param("ends", Timestamp.from(now.plus(Duration.ofHours(1))))
                .update();
        couponRedis.publish(new CouponSnapshot(couponId, "Coupon " + couponId, CouponState.ACTIVE,
                now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)), total, redisRemaining));
    }

    /** Moves the coupon's window in PostgreSQL so that it ended {@code ago} ago (Redis is left as it is). */
    public void endedAgo(long couponId, Duration ago) {
        Instant ends = Instant.now().minus(ago);
        jdbc.sql("UPDATE coupon SET issue_starts_at = :starts, issue_ends_at = :ends WHERE id = :id")
                .param("starts", Timestamp.from(ends.minus(Duration.ofHours(1))))
                .param("ends", Timestamp.from(ends))
                .param("id", couponId)
                .update();
    }

    /** Commits an issuance as the worker does (the row, the user, the coupon's stock), without telling Redis. */
    public void recordIssuance(IssueRequested request, Instant issuedAt) {
        jdbc.sql("INSERT INTO app_user (id) VALUES (:id) ON CONFLICT DO NOTHING").param("id", request.userId()).update();
        jdbc.sql("""
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                VALUES (:couponId, :userId, :requestId, :issuedAt, :issuedAt)
                """)
                .param("couponId", request.couponId())
                .param("userId", request.userId())
                .param("requestId", request.requestId())
                .param("issuedAt", Timestamp.from(issuedAt))
                .update();
        jdbc.sql("UPDATE coupon SET remaining_quantity = remaining_quantity - 1, version = version + 1 WHERE id = :id")
                .param("id", request.couponId())
                .update();
    }

    /**
     * Commits a rejection as the worker records it (issue_rejection, V2), without telling Redis.
     * Until the worker writes these rows itself, tests write them here.
     */
    public void recordRejection(IssueRequested request, ErrorCode reason, Instant rejectedAt) {
        jdbc.sql("""
                INSERT INTO issue_rejection (request_id, coupon_id, user_id, reason, rejected_at)
                VALUES (:requestId, :couponId, :userId, :reason, :rejectedAt)
                """)
                .param("requestId", request.requestId())
                .param("couponId", request.couponId())
                .param("userId", request.userId())
                .param("reason", reason.name())
                .param("rejectedAt", Timestamp.from(rejectedAt))
                .update();
    }

    /** Admits a request in Redis as the gateway does; fails the test when Redis refuses it. */
    public IssueRequested admit(long couponId, long userId) {
        RequestId requestId = RequestId.newFor(couponId);
        PrecheckResult result = couponRedis.precheck(requestId, userId, email(userId), "user" + userId, REQUEST_TTL);
        if (!result.accepted()) {
            throw new IllegalStateException("gateway pre-check refused user " + userId + ": " + result);
        }
        return new IssueRequested(requestId.toString(), couponId, userId, email(userId), "user" + userId,
                result.acceptedAt());
    }

    public void send(IssueRequested... events) {
        send(List.of(events));
    }

    public void send(List<IssueRequested> events) {
        List<Future<?>> sent = new ArrayList<>();
        for (IssueRequested event : events) {
            sent.add(producer.send(new ProducerRecord<>(Topics.ISSUE_REQUESTED, Long.toString(event.couponId()),
                    json.writeValueAsBytes(event))));
        }
        sent.forEach(WorkerFixture::await);
    }

    /** Sends a value that is not an IssueRequested at all. */
    public void sendRaw(long couponId, String value) {
        await(producer.send(new ProducerRecord<>(Topics.ISSUE_REQUESTED, Long.toString(couponId),
                value.getBytes(StandardCharsets.UTF_8))));
    }

    /** Sends as the gateway does, with the trace header its KafkaTemplate's observation adds. */
    public void sendTraced(IssueRequested event, String traceparent) {
        sendTraced(event.couponId(), json.writeValueAsBytes(event), traceparent);
    }

    /** Sends a value that is not an IssueRequested at all, with a trace header. */
    public void sendRawTraced(long couponId, String value, String traceparent) {
        sendTraced(couponId, value.getBytes(StandardCharsets.UTF_8), traceparent);
    }

    private void sendTraced(long couponId, byte[] value, String traceparent) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ISSUE_REQUESTED, Long.toString(couponId),
                value);
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        await(producer.send(record));
    }

    public Optional<RequestView> request(IssueRequested event) {
        return couponRedis.request(RequestId.tryParse(event.requestId()));
    }

    public Optional<CouponView> redisCoupon(long couponId) {
        return couponRedis.coupon(couponId);
    }

    public int rows(long couponId) {
        return jdbc.sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id = :id").param("id", couponId)
                .query(Integer.class).single();
    }

    public int remaining(long couponId) {
        return jdbc.sql("SELECT remaining_quantity FROM coupon WHERE id = :id").param("id", couponId)
                .query(Integer.class).single();
    }

    public long version(long couponId) {
        return jdbc.sql("SELECT version FROM coupon WHERE id = :id").param("id", couponId)
                .query(Long.class).single();
    }

    /** dedupe key → payload (JSON) of the outbox's notifications of one kind, in the order written. */
    public Map<String, String> notifications(String kind) {
        Map<String, String> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT dedupe_key, CAST(payload AS text) FROM notification WHERE kind = :kind ORDER BY id")
                .param("kind", kind)
                .query(rs -> {
                    rows.put(rs.getString(1), rs.getString(2));
                });
        return rows;
    }

    /** request id → issued_at of the coupon's rows. */
    public Map<String, Instant> issuances(long couponId) {
        Map<String, Instant> rows = new HashMap<>();
        jdbc.sql("SELECT request_id, issued_at FROM coupon_issuance WHERE coupon_id = :id")
                .param("id", couponId)
                .query(rs -> {
                    rows.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                });
        return rows;
    }

    /** Every record of the dead-letter topic whose key is the coupon, reading until it stays quiet. */
    public List<ConsumerRecord<String, byte[]>> deadLetters(long couponId, Duration quiet) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ISSUE_REQUESTED_DLT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            long quietUntil = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < quietUntil) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    quietUntil = System.nanoTime() + quiet.toNanos();
                }
                records.forEach(record -> {
                    if (Long.toString(couponId).equals(record.key())) {
                        found.add(record);
                    }
                });
            }
            return found;
        }
    }

    /** Whether the consumer group has committed every record of the issue-request topic. */
    public boolean committedEverything(String groupId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.get().kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.ISSUE_REQUESTED)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.ISSUE_REQUESTED).partitions()
                    .forEach(info -> latest.put(new TopicPartition(Topics.ISSUE_REQUESTED, info.partition()),
                            OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> {
                OffsetAndMetadata offset = committed.get(end.getKey());
                return end.getValue().offset() == 0 || (offset != null && offset.offset() >= end.getValue().offset());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka admin failed", e);
        }
    }

    public static String email(long userId) {
        return "user" + userId + "@example.test";
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static void await(Future<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the record", e);
        }
    }
}
