package dev.tracewh.devtools;

/** What a generator step wrote: new JSON-lines files, and bytes and lines written (appends included). */
record GeneratedFiles(int files, long bytes, long lines)
{
    static final GeneratedFiles NONE = new GeneratedFiles(0, 0, 0);

    GeneratedFiles plus(GeneratedFiles other)
    {
        return new GeneratedFiles(files + other.files, bytes + other.bytes, lines + other.lines);
    }
}
