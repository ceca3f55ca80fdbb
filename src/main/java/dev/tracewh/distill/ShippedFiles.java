package dev.tracewh.distill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The judge files shipped on the classpath (from {@code db/judges}), in the jar or, in a build, a folder. */
final class ShippedFiles
{
    private ShippedFiles() {}

    /**
     * The sorted names, without {@code suffix}, of the files directly in classpath folder {@code folder} (ending in
     * {@code /}) whose names end in {@code suffix}; none when the folder is not on the classpath.
     */
    static List<String> names(String folder, String suffix)
    {
        URL location = ShippedFiles.class.getClassLoader().getResource(folder);
        if (location == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            URLConnection connection = location.openConnection();
            if (connection instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(folder) && entry.endsWith(suffix) && entry.indexOf('/', folder.length()) < 0) {
                            names.add(entry.substring(folder.length(), entry.length() - suffix.length()));
                        }
                    }
                }
            }
            else {
                try (Stream<Path> files = Files.list(Path.of(location.toURI()))) {
                    files.map(file -> file.getFileName().toString())
                            .filter(file -> file.endsWith(suffix))
                            .forEach(file -> names.add(file.substring(0, file.length() - suffix.length())));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the judges in " + location + ": " + e.getMessage(), e);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the judges in " + location, e);
        }
        return names.stream().sorted().toList();
    }
}
