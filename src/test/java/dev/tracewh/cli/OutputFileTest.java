package dev.tracewh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutputFileTest
{
    @TempDir
    Path temp;

    @Test
    void aCommittedFileReplacesTheTargetAtOnce()
            throws IOException
    {
        Path target = Files.writeString(temp.resolve("out.jsonl"), "previous\n");
        try (OutputFile output = OutputFile.open(target)) {
            output.stream().write("first half\n".getBytes());
            assertEquals("previous\n", Files.readString(target), "the target changed before the export finished");
            output.stream().write("second half\n".getBytes());
            output.commit();
        }
        assertEquals("first half\nsecond half\n", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void anExportThatFailsLeavesThePreviousFileAndNoTemporaryFile()
            throws IOException
    {
        Path target = Files.writeString(temp.resolve("out.jsonl"), "previous\n");
        assertThrows(IllegalStateException.class, () -> {
            try (OutputFile output = OutputFile.open(target)) {
                output.stream().write(new byte[200_000]);
                throw new IllegalStateException("the query failed half-way");
            }
        });
        assertEquals("previous\n", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aNewFileAppearsOnlyWhenCommitted()
            throws IOException
    {
        Path target = temp.resolve("folder/out.jsonl");
        try (OutputFile output = OutputFile.open(target)) {
            output.stream().write("x\n".getBytes());
        }
        assertEquals(List.of(), files().stream().filter(Files::isRegularFile).toList());
    }

    @Test
    void aPrivateFileStaysPrivate()
            throws IOException
    {
        Path target = Files.writeString(temp.resolve("out.jsonl"), "previous\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        try (OutputFile output = OutputFile.open(target)) {
            output.stream().write("new\n".getBytes());
            output.commit();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    private List<Path> files()
            throws IOException
    {
        try (Stream<Path> files = Files.walk(temp)) {
            return files.filter(path -> !path.equals(temp)).filter(path -> !Files.isDirectory(path)).sorted().toList();
        }
    }
}
