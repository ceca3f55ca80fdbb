package dev.tracewh.load;

import dev.tracewh.format.UnreadablePath;

import java.util.List;

/** What a load will do with each file it found, and the paths it could not look into. */
public record LoadPlan(List<PlannedFile> files, List<UnreadablePath> unreadable)
{
    public LoadPlan
    {
        files = List.copyOf(files);
        unreadable = List.copyOf(unreadable);
    }
}
