package dev.ankisupervisor.ankiconnect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * JSON trees ({@link JsonNode}) read and written with jackson-core's streaming parser and generator,
 * without an object mapper: the mapper sets up several hundred classes of serializer and deserializer
 * machinery that a tree of an AnkiConnect reply or of a meta.json never needs, and {@code run} loaded
 * them on its way to Anki's spawn (docs/performance.md). The trees are the mapper's: the same node
 * types for the same text (int, long, big integer, double), the last of repeated keys, a missing node
 * for no content, anything after the first value ignored; and written as the mapper writes them,
 * compact or with its default pretty printer. {@code JsonTreeTest} compares both on the same input.
 *
 * <p>Stateless; any thread.
 */
public final class JsonTree {
  /** jackson-core's factory: the parser and generator the mapper would use, with the same defaults. */
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTree() {}

  /** The factory of streaming parsers, for a reply read without a tree. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /**
   * The tree of {@code text}'s first JSON value; a {@link MissingNode} when it holds none.
   *
   * @throws IOException (a {@code JsonProcessingException}) when it is not JSON
   */
  public static JsonNode read(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      return first == null ? MissingNode.getInstance() : value(p, first);
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected JSON token " + t + " at " + p.currentLocation());
    }
  }

  /** The tree as compact JSON, as the mapper writes it (and as {@code JsonNode.toString}, which starts a mapper). */
  public static String write(JsonNode node) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to memory (a bug)", e);
    }
    return out.toString();
  }

  /** The tree as UTF-8 JSON laid out by the mapper's default pretty printer (two-space indents, {@code " : "}). */
  public static byte[] writePretty(JsonNode node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to memory (a bug)", e);
    }
    return out.toByteArray();
  }

  /** Writes every node, nulls and empty containers included, as the mapper does with its defaults. */
  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          g.writeFieldName(field.getKey());
          write(g, field.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode element : node) {
          write(g, element);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.textValue());
      case NUMBER -> {
        switch (node.numberType()) {
          case INT -> g.writeNumber(node.intValue());
          case LONG -> g.writeNumber(node.longValue());
          case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
          case FLOAT -> g.writeNumber(node.floatValue());
          case DOUBLE -> g.writeNumber(node.doubleValue());
          case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL, MISSING -> g.writeNull();
      default -> throw new IllegalArgumentException("not a plain JSON node: " + node.getNodeType());
    }
  }

  /**
   * The tree of a request's plain value: a tree as it is, a map (in its order), a collection, text,
   * an int or long, a boolean or null.
   *
   * @throws IllegalArgumentException for any other type (a bug: AnkiConnect's params are plain JSON)
   */
  public static JsonNode of(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode n) {
      return n;
    }
    if (value instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, v) -> o.set(String.valueOf(k), of(v)));
      return o;
    }
    if (value instanceof Collection<?> c) {
      ArrayNode a = NODES.arrayNode();
      c.forEach(v -> a.add(of(v)));
      return a;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
  }
}
