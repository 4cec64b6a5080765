package io.rushcoupon.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading the YAML files under test: plain maps and lists, anchors and merge keys resolved. */
final class Yamls {

    private Yamls() {
    }

    static Map<String, Object> loadMap(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = yaml().load(reader);
            if (!(document instanceof Map<?, ?>)) {
                throw new IllegalStateException(file + " is not a YAML mapping");
            }
            return map(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document stream, such as {@code kubectl kustomize}'s output. */
    static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    /** Nested keys joined with dots: {@code server: {port: 8080}} → {@code server.port=8080}. */
    static Map<String, Object> flatten(Map<String, Object> tree) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", tree, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<String, Object> tree, Map<String, Object> flat) {
        tree.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (key.startsWith("[")) {
                // a map entry such as "[linger.ms]": the map itself is the property
                flat.putIfAbsent(prefix, tree);
            } else if (value instanceof Map<?, ?> nested) {
                flatten(name, map(nested), flat);
            } else {
                flat.put(name, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalStateException("expected a mapping, found " + value);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, entry) -> copy.put(String.valueOf(key), entry));
        return copy;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("expected a list, found " + value);
        }
        return (List<Object>) list;
    }

    /** Follows a path of keys through nested mappings; null when a step is missing. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }
}
