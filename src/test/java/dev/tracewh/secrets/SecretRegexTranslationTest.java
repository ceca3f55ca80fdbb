package dev.tracewh.secrets;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Go regex syntax translated to java.util.regex keeps Go's meaning. */
class SecretRegexTranslationTest
{
    @Test
    void spaceExcludesVerticalTab()
    {
        assertFalse(find("a\\sb", "a\u000Bb"));
        assertTrue(find("a\\sb", "a\tb"));
        assertTrue(find("a\\Sb", "a\u000Bb"));
        assertFalse(find("a[\\s]b", "a\u000Bb"));
        assertTrue(find("a\\vb", "a\u000Bb"));
        assertFalse(find("a\\vb", "a\nb"));
    }

    @Test
    void dollarIsTheEndOfTheText()
    {
        assertFalse(find("abc$", "abc\n"));
        assertTrue(find("abc$", "xabc"));
        assertTrue(find("(?m)abc$", "abc\nx"));
        assertTrue(find("(?m)^x", "abc\nx"));
        assertFalse(find("^x", "abc\nx"));
    }

    @Test
    void dotExcludesOnlyNewline()
    {
        assertTrue(find("a.b", "a\rb"));
        assertTrue(find("a.b", "a\u2028b"));
        assertFalse(find("a.b", "a\nb"));
        assertTrue(find("(?s)a.b", "a\nb"));
    }

    @Test
    void classesNamedGroupsAndFlags()
    {
        assertTrue(find("\\b(pat[[:alnum:]]{4})\\b", "pat1aZ9"));
        assertFalse(find("[[:^digit:]]", "123"));
        assertTrue(find("x[[]y", "x[y"));
        assertTrue(find("x[a&&b]y", "x&y"));
        assertEquals(2, GoRegex.parse("(?P<secret_key>a)(?P<b>b)").groupCount());
        assertTrue(find("(?P<secret_key>ab)", "ab"));
        assertTrue(find("fio-u-(?i)[a-z]{3}", "fio-u-ABC"));
        assertFalse(find("(?i)x(?-i:Ab)", "xab"));
        assertTrue(find("(?i)x(?-i:Ab)y", "XAbY"));
        assertTrue(find("(?U)a+", "aaa"));
        assertEquals("a", firstMatch("(?U)a+", "aaa"));
        assertTrue(find("a{,2}", "a{,2}"));
        assertTrue(find("\\x41\\x{42}\\103", "ABC"));
    }

    @Test
    void keywordLeadOfGitleaksTemplates()
    {
        String generic = SecretRules.defaults().rules().stream().filter(rule -> rule.id().equals("generic-api-key")).findFirst().orElseThrow()
                .pattern().orElseThrow().source();
        List<String> keywords = List.of("access", "api", "auth", "key", "credential", "creds", "passwd", "password", "secret", "token");
        assertEquals(50, GoRegex.parse(generic).keywordLead(keywords));
        assertEquals(0, GoRegex.parse("ghp_[0-9a-zA-Z]{36}").keywordLead(List.of("ghp_")));
        assertEquals(0, GoRegex.parse("\\b(ey[a-zA-Z0-9]{17,})").keywordLead(List.of("ey")));
        assertEquals(-1, GoRegex.parse("\\b(pat[[:alnum:]]{14})").keywordLead(List.of("airtable")));
        assertEquals(-1, GoRegex.parse("(?:a|b)?key").keywordLead(List.of("b")));
        assertEquals(1, GoRegex.parse("(?:a|b)?key").keywordLead(List.of("key")));
    }

    private static boolean find(String goRegex, String text)
    {
        return Pattern.compile(GoRegex.parse(goRegex).toJava(), Pattern.UNIX_LINES).matcher(text).find();
    }

    private static String firstMatch(String goRegex, String text)
    {
        var matcher = Pattern.compile(GoRegex.parse(goRegex).toJava(), Pattern.UNIX_LINES).matcher(text);
        return matcher.find() ? matcher.group() : null;
    }
}
