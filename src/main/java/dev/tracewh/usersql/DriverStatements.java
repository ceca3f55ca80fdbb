package dev.tracewh.usersql;

import org.h2.util.ScriptReader;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.io.StringReader;
import java.sql.SQLException;

/**
 * How many statements a database driver runs for one text: pgjdbc splits a text at semicolons itself and sends
 * each statement, and H2 runs the statements after the first one too, so both would run "select 1; drop table
 * scores" whole. Counted with the drivers' own lexers (pgjdbc's {@link Parser}, H2's {@link ScriptReader}), which
 * know their database's quotes, comments and dollar quoting; parts holding only comments run nothing and do not count.
 */
final class DriverStatements
{
    private DriverStatements() {}

    static int postgresql(String sql, boolean standardConformingStrings)
            throws SQLException
    {
        int statements = 0;
        for (NativeQuery query : Parser.parseJdbcSql(sql, standardConformingStrings, false, true, false, false)) {
            if (!onlyComments(query.nativeSql.toCharArray())) {
                statements++;
            }
        }
        return statements;
    }

    static int h2(String sql)
    {
        int statements = 0;
        try (ScriptReader reader = new ScriptReader(new StringReader(sql))) {
            // remarks come back as spaces
            reader.setSkipRemarks(true);
            for (String statement = reader.readStatement(); statement != null; statement = reader.readStatement()) {
                if (!statement.isBlank()) {
                    statements++;
                }
            }
        }
        return statements;
    }

    private static boolean onlyComments(char[] sql)
    {
        for (int i = 0; i < sql.length; i++) {
            int commentEnd = sql[i] == '-' ? Parser.parseLineComment(sql, i) : sql[i] == '/' ? Parser.parseBlockComment(sql, i) : i;
            if (commentEnd > i) {
                i = commentEnd;
            }
            else if (!Character.isWhitespace(sql[i])) {
                return false;
            }
        }
        return true;
    }
}
