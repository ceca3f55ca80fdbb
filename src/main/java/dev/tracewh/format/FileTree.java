package dev.tracewh.format;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The files below a folder, following symbolic links: a {@code ~/.claude/projects} moved to another disk and linked
 * back, or a project folder linked in, must be loaded, not skipped in silence. A link back up the tree is not
 * followed twice.
 */
public final class FileTree
{
    private FileTree() {}

    /** The regular files below {@code root} that {@code accept} takes, sorted by path. */
    public static List<Path> find(Path root, Predicate<Path> accept)
            throws IOException
    {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            {
                if (attributes.isRegularFile() && accept.test(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure)
                    throws IOException
            {
                if (failure instanceof FileSystemLoopException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }
        });
        found.sort(null);
        return found;
    }
}
