package vn.hanoi.backbone.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every backbone events topic ({@code *.events.v1}) with Apache Kafka's Java client, checks
 * each record as an outside system should (CloudEvents Kafka binding, structured mode; envelope and
 * data against the JSON Schemas its {@code dataschema} URL serves), and prints per event type how
 * many records it saw and how many were invalid. Exit 0: every record valid; 1: at least one invalid;
 * 2: bad arguments; 3: no record read at all.
 */
public final class EventsConsumer {

  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

  private EventsConsumer() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException error) {
      System.err.println(error.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(Options.USAGE);
      return;
    }
    System.exit(run(options));
  }

  static int run(Options options) {
    SchemaCache schemas = new SchemaCache(Duration.ofSeconds(10));
    RecordValidator validator = new RecordValidator(schemas);
    Map<String, int[]> perType = new TreeMap<>(); // type -> {seen, invalid}
    RecentIds recentIds = new RecentIds(100_000);
    long duplicates = 0;
    long total = 0;
    long invalid = 0;
    int printedProblems = 0;

    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(options.kafkaProperties())) {
      StartingPoint startingPoint = new StartingPoint(consumer, options.from);
      consumer.subscribe(Pattern.compile(options.topicPattern), startingPoint);
      Instant deadline = Instant.now().plus(options.maxRuntime);
      Instant lastRecord = Instant.now();
      while (Instant.now().isBefore(deadline)) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          // Idle = nothing since the last record or the last assignment (joining the group takes a while).
          Instant quietSince = lastRecord.isAfter(startingPoint.assignedAt) ? lastRecord : startingPoint.assignedAt;
          if (!consumer.assignment().isEmpty()
              && Duration.between(quietSince, Instant.now()).compareTo(options.idle) >= 0) break;
          continue;
        }
        lastRecord = Instant.now();
        for (ConsumerRecord<String, byte[]> record : records) {
          total++;
          List<String> problems = validator.problems(record);
          String type = validator.lastType() == null ? "(unreadable)" : validator.lastType();
          int[] counts = perType.computeIfAbsent(type, key -> new int[2]);
          counts[0]++;
          if (!problems.isEmpty()) {
            counts[1]++;
            invalid++;
            if (printedProblems++ < options.maxProblemsPrinted) {
              System.out.printf(
                  "INVALID %s %s-%d@%d: %s%n",
                  type, record.topic(), record.partition(), record.offset(), String.join("; ", problems));
            }
          } else if (!recentIds.add(validator.lastId())) {
            // At-least-once delivery: the same event (same id) can arrive again; apply it once.
            duplicates++;
          }
        }
        // Processed, then committed: a crash before this line re-reads the batch (dedup by id above).
        consumer.commitSync();
      }
    }

    for (Map.Entry<String, int[]> entry : perType.entrySet()) {
      System.out.printf("TYPE %s seen=%d invalid=%d%n", entry.getKey(), entry.getValue()[0], entry.getValue()[1]);
    }
    System.out.printf(
        "TOTAL seen=%d invalid=%d duplicates=%d types=%d schemas-fetched=%d%n",
        total, invalid, duplicates, perType.size(), schemas.fetches());
    if (total == 0) return 3;
    return invalid > 0 ? 1 : 0;
  }

  /** Where a partition starts when the group has no committed offset: earliest, latest, or a time. */
  static final class StartingPoint implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String from;
    /** When partitions were last assigned. */
    volatile Instant assignedAt = Instant.EPOCH;

    StartingPoint(KafkaConsumer<String, byte[]> consumer, String from) {
      this.consumer = consumer;
      this.from = from;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assignedAt = Instant.now();
      if (!from.contains("T")) return; // earliest / latest: auto.offset.reset decides
      long timestamp = Instant.parse(from).toEpochMilli();
      Map<TopicPartition, Long> query = new HashMap<>();
      for (TopicPartition partition : partitions) {
        // Only partitions without a committed offset start at the time; others resume.
        if (consumer.committed(java.util.Set.of(partition)).get(partition) == null) query.put(partition, timestamp);
      }
      if (query.isEmpty()) return;
      Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
      List<TopicPartition> noneSince = new ArrayList<>();
      for (TopicPartition partition : query.keySet()) {
        OffsetAndTimestamp found = offsets.get(partition);
        if (found == null) noneSince.add(partition); // nothing at or after the time: wait at the end
        else consumer.seek(partition, found.offset());
      }
      if (!noneSince.isEmpty()) consumer.seekToEnd(noneSince);
    }
  }

  /** Remembers the last N event ids (insertion order), to skip redelivered events. */
  static final class RecentIds {
    private final LinkedHashMap<String, Boolean> ids;

    RecentIds(int capacity) {
      this.ids =
          new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > capacity;
            }
          };
    }

    /** False when the id was seen already. */
    boolean add(String id) {
      return id == null || ids.put(id, Boolean.TRUE) == null;
    }
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Command-line options; see USAGE. */
  static final class Options {
    static final String USAGE =
        String.join(
            "\n",
            "usage: java -jar events-consumer.jar [options]",
            "  --bootstrap-servers H:P[,H:P]  brokers (default: $KAFKA_BROKERS or 127.0.0.1:9092)",
            "  --topic-pattern REGEX          topics to subscribe to (default: .*\\.events\\.v1)",
            "  --group ID                     consumer group (default: java-reference-consumer)",
            "  --from earliest|latest|TIME    where a partition without a committed offset starts;",
            "                                 TIME = ISO-8601 instant, via offsetsForTimes (default: earliest)",
            "  --idle-seconds N               stop after N s without a record (default 10)",
            "  --max-seconds N                stop after N s in any case (default 300)",
            "SASL/SCRAM-SHA-512 when $KAFKA_SASL_USERNAME and $KAFKA_SASL_PASSWORD are set (docs/consuming-events.md).");

    String bootstrapServers = envOr("KAFKA_BROKERS", "127.0.0.1:9092");
    String topicPattern = ".*\\.events\\.v1";
    String group = "java-reference-consumer";
    String from = "earliest";
    Duration idle = Duration.ofSeconds(10);
    Duration maxRuntime = Duration.ofSeconds(300);
    int maxProblemsPrinted = 50;
    boolean help;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (name.equals("--help") || name.equals("-h")) {
          options.help = true;
          continue;
        }
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + name);
        String value = args[++i];
        switch (name) {
          case "--bootstrap-servers" -> options.bootstrapServers = value;
          case "--topic-pattern" -> options.topicPattern = value;
          case "--group" -> options.group = value;
          case "--from" -> {
            if (!value.equals("earliest") && !value.equals("latest")) Instant.parse(value);
            options.from = value;
          }
          case "--idle-seconds" -> options.idle = Duration.ofSeconds(Long.parseLong(value));
          case "--max-seconds" -> options.maxRuntime = Duration.ofSeconds(Long.parseLong(value));
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      return options;
    }

    Properties kafkaProperties() {
      Properties properties = new Properties();
      properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from.equals("latest") ? "latest" : "earliest");
      // Read only committed records (the relay's producer is idempotent; this also skips aborted ones).
      properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      // New topics matching the pattern are found within this time.
      properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
      properties.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
      String username = System.getenv("KAFKA_SASL_USERNAME");
      String password = System.getenv("KAFKA_SASL_PASSWORD");
      if (username != null && !username.isEmpty() && password != null) {
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + username.replace("\"", "\\\"")
                + "\" password=\""
                + password.replace("\"", "\\\"")
                + "\";");
      }
      return properties;
    }

    private static String envOr(String name, String fallback) {
      String value = System.getenv(name);
      return value == null || value.isBlank() ? fallback : value;
    }
  }
}
