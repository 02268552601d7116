package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON value exactly as Python's
 * {@code json.dumps(val, separators=(",", ":"), ensure_ascii=False)} does, so that P1's size
 * rule {@code len(json.dumps(val, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))}
 * gives the same N here as in the Python patch: no spaces; non-ASCII written as itself (UTF-8);
 * only {@code "}, {@code \}, and U+0000-U+001F escaped ({@code \b \f \n \r \t} short, the rest
 * a backslash, u and four hex digits); floats as Python's {@code repr} (shortest round-trip digits, {@code 1e-05},
 * {@code 1e+16}, {@code 100.0}, {@code Infinity}); object keys in their given order. Stateless.
 */
final class ConfigJson {
  private ConfigJson() {}

  /** The compact Python text of {@code value}. */
  static String dumps(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  /** P1's N: the UTF-8 length of {@link #dumps}. */
  static int sizeInBytes(JsonNode value) {
    return dumps(value).getBytes(StandardCharsets.UTF_8).length;
  }

  private static void write(JsonNode v, StringBuilder out) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      out.append("null");
    } else if (v.isBoolean()) {
      out.append(v.booleanValue() ? "true" : "false");
    } else if (v.isIntegralNumber()) {
      out.append(v.bigIntegerValue().toString());
    } else if (v.isNumber()) {
      out.append(pythonRepr(v.doubleValue()));
    } else if (v.isTextual()) {
      quote(v.textValue(), out);
    } else if (v.isArray()) {
      out.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(v.get(i), out);
      }
      out.append(']');
    } else if (v.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
      boolean first = true;
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else {
      quote(v.asText(), out);
    }
  }

  /** Python's encoder with ensure_ascii=False (json.encoder.ESCAPE / ESCAPE_DCT). */
  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code repr(float)} (and json's Infinity/NaN). */
  static String pythonRepr(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    String sign = (x < 0 || (x == 0 && 1 / x < 0)) ? "-" : "";
    if (x == 0) {
      return sign + "0.0";
    }
    BigDecimal exact = new BigDecimal(Math.abs(x));
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == Math.abs(x)) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int decpt = digits.length() - shortest.scale(); // value = 0.DIGITS * 10^decpt
    StringBuilder out = new StringBuilder(sign);
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        out.append("0.").append("0".repeat(-decpt)).append(digits);
      } else if (decpt >= digits.length()) {
        out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
      } else {
        out.append(digits, 0, decpt).append('.').append(digits.substring(decpt));
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits.substring(1));
      }
      int exp = decpt - 1;
      out.append('e').append(exp < 0 ? '-' : '+').append(String.format("%02d", Math.abs(exp)));
    }
    return out.toString();
  }
}
