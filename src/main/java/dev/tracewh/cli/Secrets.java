package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The passwords one run of tracewh was given, to keep them out of everything it prints or stores: the one in
 * {@code --db} or {@code TRACEWH_DB}, and {@code PGPASSWORD}. Text is also cleared of anything that reads as a
 * password in a URL ({@link DatabaseUrl#redact}), for a password in an argument that is not {@code --db}'s.
 */
record Secrets(Set<String> passwords)
{
    private static final String HIDDEN = "***";

    Secrets
    {
        passwords = Set.copyOf(passwords);
    }

    /** The secrets of a run with these arguments and environment. */
    static Secrets of(List<String> args, Map<String, String> environment)
    {
        requireNonNull(args, "args is null");
        requireNonNull(environment, "environment is null");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--db") && i + 1 < args.size()) {
                urls.add(args.get(i + 1));
            }
            else if (arg.startsWith("--db=")) {
                urls.add(arg.substring("--db=".length()));
            }
        }
        if (environment.get("TRACEWH_DB") != null) {
            urls.add(environment.get("TRACEWH_DB"));
        }
        Set<String> passwords = new LinkedHashSet<>();
        for (String url : urls) {
            try {
                String password = DatabaseUrl.parse(url).password();
                if (password != null) {
                    passwords.add(password);
                }
            }
            catch (RuntimeException e) {
                // a URL tracewh cannot read has no password it would use; redact() still clears what looks like one
            }
        }
        if (environment.get("PGPASSWORD") != null) {
            passwords.add(environment.get("PGPASSWORD"));
        }
        // as a URL carries a password with special characters
        for (String password : List.copyOf(passwords)) {
            passwords.add(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        passwords.removeIf(String::isEmpty);
        return new Secrets(passwords);
    }

    /** {@code text} without any of these passwords, nor anything that reads as one in a URL. */
    String redact(String text)
    {
        String result = DatabaseUrl.redact(text);
        // the longest first: one password may be part of another's encoded form
        for (String password : passwords.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            result = result.replace(password, HIDDEN);
        }
        return result;
    }

    /** The command line as the audit trail keeps it. */
    String arguments(List<String> args)
    {
        return redact(String.join(" ", args));
    }
}
