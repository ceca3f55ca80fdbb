package dev.tracewh.warehouse;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Where the warehouse lives: {@code --db}, else {@code TRACEWH_DB}, else the embedded H2 file
 * {@code ~/.tracewh/warehouse}. H2 URLs get the settings the schema needs (PostgreSQL mode, lower-case names).
 */
public record DatabaseUrl(String jdbcUrl, Vendor vendor)
{
    public static final String DEFAULT = "jdbc:h2:file:~/.tracewh/warehouse";
    /**
     * WRITE_DELAY=0 writes H2's store at each commit instead of in the background every half second. A background
     * write can put an open transaction's rows in the file, and H2 2.5.252 does not recover from a kill after
     * that: the next insert into those keys spins forever, or times out waiting for a lock that nothing holds
     * (5 of 6 killed loads; 0 of 20 with this setting).
     */
    private static final String H2_SETTINGS = "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=DAY,VALUE;WRITE_DELAY=0";

    public enum Vendor
    {
        H2("h2"), POSTGRESQL("postgresql");

        private final String migrationFolder;

        Vendor(String migrationFolder)
        {
            this.migrationFolder = migrationFolder;
        }

        /** The vendor folder below {@code db/migration/} holding statements only this database understands. */
        public String migrationFolder()
        {
            return migrationFolder;
        }
    }

    public DatabaseUrl
    {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(vendor, "vendor is null");
    }

    /** Resolves the option value (may be null) and {@code TRACEWH_DB} (may be null) to a URL. */
    public static DatabaseUrl resolve(String option, String environmentValue)
    {
        String url = option != null && !option.isBlank() ? option
                : environmentValue != null && !environmentValue.isBlank() ? environmentValue
                : DEFAULT;
        return parse(url);
    }

    /** A JDBC URL (H2 or PostgreSQL), or a plain path taken as an H2 file. */
    public static DatabaseUrl parse(String url)
    {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, Vendor.POSTGRESQL);
        }
        if (lower.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(withH2Settings(url), Vendor.H2);
        }
        if (lower.startsWith("jdbc:")) {
            throw new IllegalArgumentException("unsupported database URL (use jdbc:h2:... or jdbc:postgresql://...): " + url);
        }
        String path = url.endsWith(".mv.db") ? url.substring(0, url.length() - ".mv.db".length()) : url;
        return new DatabaseUrl(withH2Settings("jdbc:h2:file:" + path), Vendor.H2);
    }

    private static String withH2Settings(String url)
    {
        StringBuilder result = new StringBuilder(url);
        String lower = url.toLowerCase(Locale.ROOT);
        for (String setting : H2_SETTINGS.split(";")) {
            String key = setting.substring(0, setting.indexOf('=')).toLowerCase(Locale.ROOT);
            if (!lower.contains(";" + key + "=")) {
                result.append(';').append(setting);
            }
        }
        return result.toString();
    }

    /** The URL without credentials, for messages and the audit trail. */
    public String redacted()
    {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
