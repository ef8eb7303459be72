package io.peerlink.node.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.peerlink.core.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Binds TOML text to {@link ConfigDto} strictly, turning Jackson's exceptions into one-line messages. */
final class TomlBinding {
    private static final ObjectMapper MAPPER = TomlMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Integer,
                    c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private TomlBinding() {}

    static ConfigDto read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static ConfigDto parse(String text, String source) {
        if (text.isBlank()) {
            return ConfigDto.EMPTY;
        }
        try {
            ConfigDto dto = MAPPER.readValue(text, ConfigDto.class);
            return dto != null ? dto : ConfigDto.EMPTY;
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            String hint = suggest(e.getPropertyName(), e.getKnownPropertyIds());
            throw new ConfigException(source + ": unknown key '" + path + "'" + hint);
        } catch (MismatchedInputException e) {
            throw new ConfigException(source + ": " + path(e) + ": wrong type" + found(text, e) + " (expected: "
                    + expected(e.getTargetType()) + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String line = loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "";
            String msg =
                    String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("syntax error");
            throw new ConfigException(source + line + ": not valid TOML: " + msg);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    /** What the file holds at the failing path, read again as a tree: ": found a string", or "". */
    private static String found(String text, JsonMappingException e) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException again) {
            return "";
        }
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null) {
                return "";
            }
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        if (node == null) {
            return "";
        }
        if (node.isTextual()) {
            return ": found a string";
        }
        if (node.isIntegralNumber()) {
            return ": found an integer";
        }
        if (node.isNumber()) {
            return ": found a decimal number";
        }
        if (node.isBoolean()) {
            return ": found a boolean";
        }
        if (node.isArray()) {
            return ": found an array";
        }
        if (node.isObject()) {
            return ": found a table";
        }
        return "";
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array of strings";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a table";
        }
        return type.getSimpleName();
    }

    /** " (did you mean 'x'?)" for a known key within edit distance 2, else "". */
    private static String suggest(String unknown, @Nullable Collection<Object> known) {
        if (known == null) {
            return "";
        }
        String best = null;
        int bestDistance = 3;
        for (Object k : known) {
            String s = String.valueOf(k);
            int d = distance(unknown, s);
            if (d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
