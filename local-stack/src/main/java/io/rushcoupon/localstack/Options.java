package io.rushcoupon.localstack;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of one subcommand, checked against what it knows. */
public final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Options() {
    }

    /**
     * @param known   options that take a value
     * @param knownFlags options that take none
     */
    public static Options parse(List<String> args, Set<String> known, Set<String> knownFlags) {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (knownFlags.contains(arg)) {
                options.flags.add(arg);
            } else if (known.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                options.values.put(arg, args.get(++i));
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return options;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** A positive whole number, or a sentence saying what is wrong. */
    public long number(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + " takes a positive whole number, not '" + value + "'");
    }

    /** A required positive whole number. */
    public long requiredNumber(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(name + " is required");
        }
        return number(name, 0);
    }
}
