package dev.tracewh.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FileTreeTest
{
    @TempDir
    Path directory;

    @Test
    void followsLinkedRootsFoldersAndFilesButNotALinkBackUp()
            throws IOException
    {
        Path disk = directory.resolve("other-disk/projects");
        write(disk.resolve("a/one.jsonl"));
        write(directory.resolve("elsewhere/b/two.jsonl"));
        write(directory.resolve("elsewhere/three.jsonl"));
        Files.createDirectories(disk.resolve("not-a-file.jsonl"));
        Files.createSymbolicLink(disk.resolve("b"), directory.resolve("elsewhere/b"));
        Files.createSymbolicLink(disk.resolve("a/three.jsonl"), directory.resolve("elsewhere/three.jsonl"));
        Files.createSymbolicLink(disk.resolve("a/loop"), disk);
        Files.createSymbolicLink(disk.resolve("dangling.jsonl"), directory.resolve("gone.jsonl"));
        Path root = Files.createSymbolicLink(directory.resolve("projects"), disk);

        List<Path> found = FileTree.find(root, path -> path.getFileName().toString().endsWith(".jsonl"), unreadable -> fail("unreadable: " + unreadable));

        assertEquals(List.of("a/one.jsonl", "a/three.jsonl", "b/two.jsonl"), found.stream().map(path -> root.relativize(path).toString()).toList());
    }

    @Test
    void aFolderThatVanishesDuringTheWalkIsReportedAndTheRestIsFound()
            throws IOException
    {
        for (String folder : List.of("a", "b", "c", "d")) {
            write(directory.resolve(folder + "/session.jsonl"));
        }
        List<UnreadablePath> unreadable = new ArrayList<>();
        List<Path> found = FileTree.find(directory, path -> {
            // the first file seen deletes every other folder before the walk reaches it
            for (String folder : List.of("a", "b", "c", "d")) {
                Path other = directory.resolve(folder);
                if (!path.startsWith(other) && Files.exists(other)) {
                    deleteTree(other);
                }
            }
            return true;
        }, unreadable::add);

        assertEquals(1, found.size());
        assertEquals(3, unreadable.size(), unreadable.toString());
        assertTrue(unreadable.stream().allMatch(each -> each.reason().startsWith("deleted while the load looked at it")), unreadable.toString());
    }

    private static void deleteTree(Path folder)
    {
        try (var files = Files.walk(folder)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}\n");
    }
}
