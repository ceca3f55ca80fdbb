package dev.tracewh.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static void write(Path file)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}\n");
    }
}
