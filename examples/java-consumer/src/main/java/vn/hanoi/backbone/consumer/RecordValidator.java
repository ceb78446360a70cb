package vn.hanoi.backbone.consumer;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything an outside consumer checks on one record: the CloudEvents Kafka binding (structured
 * mode content type, key = partition key = subject, the ce_type/ce_id headers equal to the
 * attributes), the envelope against the catalogue's CloudEvents schema and {@code data} against the
 * schema at {@code dataschema}, both fetched over HTTP.
 */
final class RecordValidator {
  private static final String ENVELOPE_SCHEMA = "cloudevent.json";
  private final SchemaCache schemas;
  private final JsonMapper mapper = JsonMapper.builder().build();
  private String lastType;
  private String lastId;

  RecordValidator(SchemaCache schemas) {
    this.schemas = schemas;
  }

  /** The `type` of the record last checked, or null when it had none. */
  String lastType() {
    return lastType;
  }

  String lastId() {
    return lastId;
  }

  List<String> problems(ConsumerRecord<String, byte[]> record) {
    lastType = null;
    lastId = null;
    List<String> problems = new ArrayList<>();
    String contentType = EventsConsumer.header(record, "content-type");
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith(EventsConsumer.STRUCTURED_CONTENT_TYPE)) {
      problems.add("content-type header is '" + contentType + "', not " + EventsConsumer.STRUCTURED_CONTENT_TYPE);
    }
    JsonNode event;
    try {
      event = record.value() == null ? null : mapper.readTree(record.value());
    } catch (RuntimeException error) {
      problems.add("value is not JSON: " + error.getMessage());
      return problems;
    }
    if (event == null || !event.isObject()) {
      problems.add("value is not a JSON object");
      return problems;
    }
    lastType = text(event, "type");
    lastId = text(event, "id");

    String subject = text(event, "subject");
    if (record.key() == null || !record.key().equals(subject))
      problems.add("record key '" + record.key() + "' is not the subject '" + subject + "'");
    String partitionKey = text(event, "partitionkey");
    if (partitionKey != null && !partitionKey.equals(record.key()))
      problems.add("partitionkey '" + partitionKey + "' is not the record key");
    String typeHeader = EventsConsumer.header(record, "ce_type");
    if (typeHeader != null && !typeHeader.equals(lastType)) problems.add("header ce_type differs from type");
    String idHeader = EventsConsumer.header(record, "ce_id");
    if (idHeader != null && !idHeader.equals(lastId)) problems.add("header ce_id differs from id");

    String dataschema = text(event, "dataschema");
    if (dataschema == null) {
      problems.add("dataschema is missing");
      return problems;
    }
    URI schemaUri;
    try {
      schemaUri = URI.create(dataschema);
    } catch (IllegalArgumentException error) {
      problems.add("dataschema is not a URI: " + dataschema);
      return problems;
    }
    if (!schemaUri.isAbsolute()) {
      problems.add("dataschema is not an absolute URI: " + dataschema);
      return problems;
    }
    // The envelope schema sits beside the type's schema in the same catalogue.
    String envelopeUrl = schemaUri.resolve(ENVELOPE_SCHEMA).toString();
    validate(envelopeUrl, mapper.writeValueAsString(event), "envelope", problems);
    JsonNode data = event.get("data");
    if (data == null) problems.add("data is missing");
    else validate(dataschema, mapper.writeValueAsString(data), "data", problems);
    return problems;
  }

  private void validate(String schemaUrl, String instance, String what, List<String> problems) {
    try {
      List<Error> errors = schemas.get(schemaUrl).validate(instance, InputFormat.JSON);
      for (Error error : errors) problems.add(what + ": " + error);
    } catch (SchemaCache.SchemaUnavailable error) {
      problems.add(what + " schema unavailable: " + error.getMessage());
    }
  }

  private static String text(JsonNode event, String field) {
    JsonNode node = event.get(field);
    return node == null || !node.isString() ? null : node.asString();
  }
}
