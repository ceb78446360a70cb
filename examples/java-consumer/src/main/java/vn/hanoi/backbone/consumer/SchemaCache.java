package vn.hanoi.backbone.consumer;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schemas fetched over HTTP from the URL a record names ({@code dataschema}), each fetched once
 * per run: a version's schema URL never changes and the catalogue serves it as immutable
 * (docs/adr/0013). A URL that cannot be fetched is remembered as a failure for this run too.
 */
final class SchemaCache {
  private final HttpClient http;
  private final Duration timeout;
  private final SchemaRegistry registry;
  private final Map<String, Object> schemas = new ConcurrentHashMap<>(); // Schema or a failure message
  private int fetches;

  SchemaCache(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    // Draft-07 is what the catalogue's schemas declare ($schema); `format` is asserted (date-time, uri).
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    this.registry =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, builder -> builder.schemaRegistryConfig(config));
  }

  /** The schema at {@code url}; throws SchemaUnavailable with the reason when there is none. */
  Schema get(String url) {
    Object cached = schemas.computeIfAbsent(url, this::fetch);
    if (cached instanceof Schema schema) return schema;
    throw new SchemaUnavailable((String) cached);
  }

  int fetches() {
    return fetches;
  }

  private Object fetch(String url) {
    fetches++;
    try {
      URI uri = URI.create(url);
      if (!uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))
        return "not an absolute http(s) URL: " + url;
      HttpRequest request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/schema+json").GET().build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) return "GET " + url + " answered " + response.statusCode();
      String contentType = response.headers().firstValue("content-type").orElse("");
      if (!contentType.toLowerCase().startsWith("application/schema+json"))
        return "GET " + url + " answered content type '" + contentType + "', not application/schema+json";
      return registry.getSchema(response.body(), InputFormat.JSON);
    } catch (InterruptedException error) {
      Thread.currentThread().interrupt();
      return "GET " + url + " interrupted";
    } catch (Exception error) {
      return "GET " + url + " failed: " + error;
    }
  }

  static final class SchemaUnavailable extends RuntimeException {
    SchemaUnavailable(String message) {
      super(message);
    }
  }
}
