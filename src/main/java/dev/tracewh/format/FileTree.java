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
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The files below a folder, following symbolic links: a {@code ~/.claude/projects} moved to another disk and linked
 * back, or a project folder linked in, must be loaded, not skipped in silence. A link back up the tree is not
 * followed twice. A folder or file that cannot be read is handed to the caller and passed over, so one folder
 * without permission does not stop the load of everything else.
 */
public final class FileTree
{
    private FileTree() {}

    /** The regular files below {@code root} that {@code accept} takes, sorted by path; {@code unreadable} gets what could not be read. */
    public static List<Path> find(Path root, Predicate<Path> accept, Consumer<UnreadablePath> unreadable)
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
            {
                if (!(failure instanceof FileSystemLoopException)) {
                    unreadable.accept(UnreadablePath.of(file, failure));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure)
            {
                if (failure != null) {
                    unreadable.accept(UnreadablePath.of(directory, failure));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }
}
