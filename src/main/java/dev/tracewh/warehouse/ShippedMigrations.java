package dev.tracewh.warehouse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static java.util.Objects.requireNonNull;

/**
 * The SQL migrations this tracewh ships for one database, each with the checksum Flyway records for it: what a
 * schema history must hold for the schema to be current, found without Flyway (whose start, classpath scan and
 * validation cost a read command most of its time).
 *
 * @param checksums Flyway's checksum of each versioned ({@code V...}) and repeatable ({@code R__...}) script, by file name
 */
record ShippedMigrations(Map<String, Integer> checksums)
{
    /** Flyway's file names of versioned and repeatable SQL migrations; callbacks such as afterMigrate.sql are not in the history. */
    private static final Pattern MIGRATION = Pattern.compile("(V[0-9][0-9_.]*|R)__.+\\.sql");

    ShippedMigrations
    {
        checksums = Collections.unmodifiableMap(new TreeMap<>(checksums));
    }

    /** The migrations of {@code db/migration/common} and the vendor's folder, as Flyway's locations name them. */
    static ShippedMigrations of(DatabaseUrl.Vendor vendor)
    {
        requireNonNull(vendor, "vendor is null");
        Map<String, Integer> checksums = new TreeMap<>();
        for (String folder : List.of("db/migration/common", "db/migration/" + vendor.migrationFolder())) {
            for (String name : scriptNames(folder)) {
                if (MIGRATION.matcher(name).matches() && checksums.put(name, checksum(folder + "/" + name)) != null) {
                    throw new IllegalStateException("the migration " + name + " is in more than one folder");
                }
            }
        }
        return new ShippedMigrations(checksums);
    }

    static boolean isRepeatable(String script)
    {
        return script.startsWith("R__");
    }

    /** The file names directly in a classpath folder, from the jar or from a directory (tests run from target/classes). */
    private static List<String> scriptNames(String folder)
    {
        URL location = ShippedMigrations.class.getClassLoader().getResource(folder);
        if (location == null) {
            throw new IllegalStateException("this tracewh has no migrations under " + folder);
        }
        List<String> names = new ArrayList<>();
        try {
            if (location.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) location.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = folder + "/";
                    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0 && entry.length() > prefix.length()) {
                            names.add(entry.substring(prefix.length()));
                        }
                    }
                }
            }
            else {
                try (Stream<Path> files = Files.list(Path.of(location.toURI()))) {
                    files.filter(Files::isRegularFile).forEach(file -> names.add(file.getFileName().toString()));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the migrations under " + folder, e);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the migrations under " + location, e);
        }
        return names;
    }

    /** Flyway's checksum: a CRC-32 of the UTF-8 lines without their line ends and byte-order marks. */
    private static int checksum(String resource)
    {
        CRC32 crc = new CRC32();
        try (InputStream input = ShippedMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException("cannot read the migration " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                crc.update((line.startsWith("\uFEFF") ? line.substring(1) : line).getBytes(StandardCharsets.UTF_8));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration " + resource, e);
        }
        return (int) crc.getValue();
    }
}
