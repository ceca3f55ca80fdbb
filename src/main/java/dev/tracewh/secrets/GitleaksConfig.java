package dev.tracewh.secrets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A gitleaks configuration file as written, before its regexes are compiled: rules by id, global allowlists and
 * {@code [extend]}. {@link #extend} merges a base into it the way gitleaks does; {@link #build} compiles it.
 *
 * @param name the file, for messages
 */
record GitleaksConfig(String name, Map<String, RuleDefinition> rules, List<AllowlistDefinition> allowlists, Extend extend)
{
    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern ID_LINE = Pattern.compile("(?m)^[ \\t]*id[ \\t]*=[ \\t]*(?:\"([^\"\\n]*)\"|'([^'\\n]*)')");
    private static final Set<String> RULE_FIELDS = Set.of("id", "description", "regex", "secretGroup", "entropy", "path", "keywords",
            "tags", "allowlist", "allowlists", "skipReport");

    GitleaksConfig
    {
        requireNonNull(name, "name is null");
        rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        allowlists = List.copyOf(allowlists);
        requireNonNull(extend, "extend is null");
    }

    /**
     * Unset fields are null (strings), 0 or empty.
     *
     * @param origin the file and line that define it, for messages
     */
    record RuleDefinition(String origin, String id, String description, String regex, int secretGroup, double entropy, String path, List<String> keywords,
            List<AllowlistDefinition> allowlists)
    {
        RuleDefinition
        {
            keywords = List.copyOf(keywords);
            allowlists = List.copyOf(allowlists);
        }
    }

    record AllowlistDefinition(String description, String condition, String regexTarget, List<String> regexes, List<String> stopwords,
            int paths, int commits, List<String> targetRules)
    {
        AllowlistDefinition
        {
            regexes = List.copyOf(regexes);
            stopwords = List.copyOf(stopwords);
            targetRules = List.copyOf(targetRules);
        }
    }

    record Extend(boolean useDefault, Optional<String> path, List<String> disabledRules)
    {
        static final Extend NONE = new Extend(false, Optional.empty(), List.of());
    }

    static GitleaksConfig read(Path file)
            throws IOException
    {
        return read(file.toString(), Files.readString(file));
    }

    static GitleaksConfig read(String name, InputStream in)
            throws IOException
    {
        return read(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    private static GitleaksConfig read(String name, String text)
    {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        }
        catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            String where = location != null && location.getLineNr() > 0 ? ", line " + location.getLineNr() : "";
            throw new InvalidSecretRulesException("%s%s: not valid TOML: %s".formatted(name, where, e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSecretRulesException(name + ": empty or not a TOML table");
        }
        Reader reader = new Reader(name, idLines(text));
        Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        JsonNode ruleNodes = root.path("rules");
        if (!ruleNodes.isMissingNode() && !ruleNodes.isArray()) {
            throw new InvalidSecretRulesException(name + ": 'rules' must be an array of tables ([[rules]])");
        }
        int index = 0;
        for (JsonNode node : ruleNodes) {
            index++;
            RuleDefinition rule = reader.rule(node, index);
            if (rules.putIfAbsent(rule.id(), rule) != null) {
                throw new InvalidSecretRulesException("%s: rule %s: defined twice".formatted(name, rule.id()));
            }
        }
        List<AllowlistDefinition> allowlists = new ArrayList<>();
        // [allowlist] (before gitleaks 8.25) and [[allowlists]]
        if (root.has("allowlist")) {
            allowlists.add(reader.allowlist(root.get("allowlist"), "global allowlist"));
        }
        for (JsonNode node : reader.tables(root.path("allowlists"), "allowlists")) {
            allowlists.add(reader.allowlist(node, "global allowlist"));
        }
        Extend extend = Extend.NONE;
        JsonNode extendNode = root.path("extend");
        if (extendNode.isObject()) {
            extend = new Extend(
                    reader.bool(extendNode, "useDefault", "[extend]"),
                    Optional.ofNullable(reader.string(extendNode, "path", "[extend]")),
                    reader.strings(extendNode, "disabledRules", "[extend]"));
            if (extend.useDefault() && extend.path().isPresent()) {
                throw new InvalidSecretRulesException(name + ": [extend]: useDefault and path cannot both be set");
            }
        }
        return new GitleaksConfig(name, rules, allowlists, extend);
    }

    /**
     * This configuration on top of {@code base}, as gitleaks extends one: base rules not disabled here are kept; a rule
     * defined in both takes this file's description, regex, path, entropy and secretGroup when set, and both files'
     * keywords and allowlists; global allowlists are appended.
     */
    GitleaksConfig extend(GitleaksConfig base)
    {
        Map<String, RuleDefinition> merged = new LinkedHashMap<>();
        for (RuleDefinition baseRule : base.rules().values()) {
            if (extend.disabledRules().contains(baseRule.id())) {
                continue;
            }
            RuleDefinition own = rules.get(baseRule.id());
            if (own == null) {
                merged.put(baseRule.id(), baseRule);
                continue;
            }
            List<String> keywords = new ArrayList<>(baseRule.keywords());
            keywords.addAll(own.keywords());
            List<AllowlistDefinition> allowlists = new ArrayList<>(baseRule.allowlists());
            allowlists.addAll(own.allowlists());
            merged.put(baseRule.id(), new RuleDefinition(
                    own.origin(),
                    baseRule.id(),
                    own.description() != null ? own.description() : baseRule.description(),
                    own.regex() != null ? own.regex() : baseRule.regex(),
                    own.secretGroup() != 0 ? own.secretGroup() : baseRule.secretGroup(),
                    own.entropy() != 0 ? own.entropy() : baseRule.entropy(),
                    own.path() != null ? own.path() : baseRule.path(),
                    keywords.stream().distinct().toList(),
                    allowlists));
        }
        for (RuleDefinition own : rules.values()) {
            merged.putIfAbsent(own.id(), own);
        }
        List<AllowlistDefinition> allowlists = new ArrayList<>(this.allowlists);
        allowlists.addAll(base.allowlists());
        return new GitleaksConfig(name, merged, allowlists, Extend.NONE);
    }

    /**
     * The SHA-256 of the rules and allowlists as defined (the definitions are records of strings and numbers, so their
     * text is stable): the same rules have the same digest, whichever file they were read from.
     */
    private String digest()
    {
        StringBuilder text = new StringBuilder();
        for (RuleDefinition rule : rules.values()) {
            text.append(new RuleDefinition("", rule.id(), rule.description(), rule.regex(), rule.secretGroup(), rule.entropy(), rule.path(),
                    rule.keywords(), rule.allowlists())).append('\n');
        }
        text.append(allowlists);
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Compiles the rules; throws {@link InvalidSecretRulesException} naming this file and the rule. */
    SecretRules build(String source)
    {
        Map<String, List<AllowlistDefinition>> targeted = new LinkedHashMap<>();
        List<Allowlist> global = new ArrayList<>();
        for (AllowlistDefinition definition : allowlists) {
            if (definition.targetRules().isEmpty()) {
                global.add(allowlist(definition, name + ": global allowlist"));
                continue;
            }
            for (String ruleId : definition.targetRules()) {
                if (!rules.containsKey(ruleId)) {
                    throw new InvalidSecretRulesException("%s: global allowlist: targetRules names unknown rule %s".formatted(name, ruleId));
                }
                targeted.computeIfAbsent(ruleId, ignored -> new ArrayList<>()).add(definition);
            }
        }
        List<SecretRule> compiled = new ArrayList<>(rules.size());
        for (RuleDefinition rule : rules.values()) {
            compiled.add(rule(rule, targeted.getOrDefault(rule.id(), List.of())));
        }
        return new SecretRules(source, digest(), compiled, global);
    }

    private SecretRule rule(RuleDefinition rule, List<AllowlistDefinition> targeted)
    {
        String context = rule.origin() + ": rule " + rule.id();
        if (rule.regex() == null && rule.path() == null) {
            throw invalid(context, "has neither regex nor path, so it can find nothing");
        }
        List<String> keywords = rule.keywords().stream().map(keyword -> keyword.toLowerCase(Locale.ROOT)).distinct().toList();
        Optional<RulePattern> pattern = Optional.empty();
        if (rule.regex() != null) {
            try {
                pattern = Optional.of(RulePattern.compile(rule.regex(), keywords));
            }
            catch (IllegalArgumentException e) {
                throw invalid(context, "regex: " + e.getMessage(), e);
            }
            if (rule.secretGroup() > pattern.get().groupCount()) {
                throw invalid(context, "secretGroup %d, but the regex has %d group(s)".formatted(rule.secretGroup(), pattern.get().groupCount()));
            }
        }
        if (rule.path() != null) {
            // only checked to be a regex: texts have no path, so such a rule never runs
            try {
                RulePattern.compile(rule.path(), List.of());
            }
            catch (IllegalArgumentException e) {
                throw invalid(context, "path: " + e.getMessage(), e);
            }
        }
        List<Allowlist> allowlists = new ArrayList<>();
        for (AllowlistDefinition definition : rule.allowlists()) {
            allowlists.add(allowlist(definition, context + " allowlist"));
        }
        for (AllowlistDefinition definition : targeted) {
            allowlists.add(allowlist(definition, name + ": global allowlist for " + rule.id()));
        }
        return new SecretRule(rule.id(), rule.description() == null ? "" : rule.description(), pattern, rule.secretGroup(), rule.entropy(),
                keywords, allowlists, rule.path() != null);
    }

    private Allowlist allowlist(AllowlistDefinition definition, String context)
    {
        Allowlist.Condition condition = switch (definition.condition() == null ? "OR" : definition.condition().toUpperCase(Locale.ROOT)) {
            case "OR", "" -> Allowlist.Condition.OR;
            case "AND" -> Allowlist.Condition.AND;
            default -> throw invalid(context, "condition must be AND or OR, not " + definition.condition());
        };
        Allowlist.Target target = switch (definition.regexTarget() == null ? "secret" : definition.regexTarget()) {
            case "secret", "" -> Allowlist.Target.SECRET;
            case "match" -> Allowlist.Target.MATCH;
            case "line" -> Allowlist.Target.LINE;
            default -> throw invalid(context, "regexTarget must be secret, match or line, not " + definition.regexTarget());
        };
        if (definition.regexes().isEmpty() && definition.stopwords().isEmpty() && definition.paths() == 0 && definition.commits() == 0) {
            throw invalid(context, "has no regexes, stopwords, paths or commits");
        }
        List<RulePattern> regexes = new ArrayList<>();
        for (String regex : definition.regexes()) {
            try {
                regexes.add(RulePattern.compile(regex, List.of()));
            }
            catch (IllegalArgumentException e) {
                throw invalid(context, "regex: " + e.getMessage(), e);
            }
        }
        List<String> stopwords = definition.stopwords().stream().filter(word -> !word.isEmpty()).map(word -> word.toLowerCase(Locale.ROOT)).toList();
        return new Allowlist(condition, target, regexes, stopwords.isEmpty() ? null : new KeywordAutomaton(stopwords),
                definition.paths() + definition.commits());
    }

    /** {@code context} starts with the file. */
    private static InvalidSecretRulesException invalid(String context, String problem)
    {
        return new InvalidSecretRulesException("%s: %s".formatted(context, problem));
    }

    private static InvalidSecretRulesException invalid(String context, String problem, Throwable cause)
    {
        return new InvalidSecretRulesException("%s: %s".formatted(context, problem), cause);
    }

    /** The line of each {@code id = "..."}, so a message about a rule can name it. */
    private static Map<String, Integer> idLines(String text)
    {
        Map<String, Integer> lines = new LinkedHashMap<>();
        Matcher matcher = ID_LINE.matcher(text);
        int line = 1;
        int counted = 0;
        while (matcher.find()) {
            for (; counted < matcher.start(); counted++) {
                if (text.charAt(counted) == '\n') {
                    line++;
                }
            }
            lines.putIfAbsent(matcher.group(1) != null ? matcher.group(1) : matcher.group(2), line);
        }
        return lines;
    }

    /** Typed access to the TOML tree, with messages that name the file and the rule. */
    private record Reader(String name, Map<String, Integer> idLines)
    {
        RuleDefinition rule(JsonNode node, int index)
        {
            if (!node.isObject()) {
                throw new InvalidSecretRulesException("%s: rule #%d: not a table".formatted(name, index));
            }
            String id = string(node, "id", "rule #" + index);
            if (id == null || id.isBlank()) {
                String after = index > 1 ? " (the %d. [[rules]] entry)".formatted(index) : " (the first [[rules]] entry)";
                throw new InvalidSecretRulesException("%s: rule #%d%s: id is missing or empty".formatted(name, index, after));
            }
            String context = "rule " + id;
            String origin = idLines.containsKey(id) ? name + ", line " + idLines.get(id) : name;
            node.fieldNames().forEachRemaining(field -> {
                if (!RULE_FIELDS.contains(field)) {
                    throw new InvalidSecretRulesException("%s: %s: unknown field '%s'".formatted(name, context, field));
                }
            });
            List<AllowlistDefinition> allowlists = new ArrayList<>();
            // [rules.allowlist] (before gitleaks 8.21) and [[rules.allowlists]]
            if (node.has("allowlist")) {
                allowlists.add(allowlist(node.get("allowlist"), context + " allowlist"));
            }
            for (JsonNode allowlist : tables(node.path("allowlists"), context + " allowlists")) {
                allowlists.add(allowlist(allowlist, context + " allowlist"));
            }
            JsonNode secretGroup = node.path("secretGroup");
            if (!secretGroup.isMissingNode() && (!secretGroup.isIntegralNumber() || secretGroup.asInt() < 0)) {
                throw new InvalidSecretRulesException("%s: %s: secretGroup must be a whole number >= 0".formatted(name, context));
            }
            JsonNode entropy = node.path("entropy");
            if (!entropy.isMissingNode() && (!entropy.isNumber() || entropy.asDouble() < 0)) {
                throw new InvalidSecretRulesException("%s: %s: entropy must be a number >= 0".formatted(name, context));
            }
            List<String> keywords = strings(node, "keywords", context);
            for (String keyword : keywords) {
                if (keyword.isEmpty()) {
                    throw new InvalidSecretRulesException("%s: %s: empty keyword".formatted(name, context));
                }
            }
            return new RuleDefinition(
                    origin,
                    id,
                    string(node, "description", context),
                    emptyToNull(string(node, "regex", context)),
                    secretGroup.asInt(0),
                    entropy.asDouble(0),
                    emptyToNull(string(node, "path", context)),
                    keywords,
                    allowlists);
        }

        AllowlistDefinition allowlist(JsonNode node, String context)
        {
            if (!node.isObject()) {
                throw new InvalidSecretRulesException("%s: %s: not a table".formatted(name, context));
            }
            return new AllowlistDefinition(
                    string(node, "description", context),
                    string(node, "condition", context),
                    string(node, "regexTarget", context),
                    strings(node, "regexes", context),
                    strings(node, "stopwords", context),
                    strings(node, "paths", context).size(),
                    strings(node, "commits", context).size(),
                    strings(node, "targetRules", context));
        }

        List<JsonNode> tables(JsonNode node, String context)
        {
            if (node.isMissingNode()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw new InvalidSecretRulesException("%s: %s: must be an array of tables".formatted(name, context));
            }
            List<JsonNode> tables = new ArrayList<>();
            node.forEach(tables::add);
            return tables;
        }

        String string(JsonNode node, String field, String context)
        {
            JsonNode value = node.get(field);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                throw new InvalidSecretRulesException("%s: %s: %s must be a string".formatted(name, context, field));
            }
            return value.asText();
        }

        boolean bool(JsonNode node, String field, String context)
        {
            JsonNode value = node.get(field);
            if (value == null) {
                return false;
            }
            if (!value.isBoolean()) {
                throw new InvalidSecretRulesException("%s: %s: %s must be true or false".formatted(name, context, field));
            }
            return value.asBoolean();
        }

        List<String> strings(JsonNode node, String field, String context)
        {
            JsonNode value = node.get(field);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                throw new InvalidSecretRulesException("%s: %s: %s must be an array of strings".formatted(name, context, field));
            }
            List<String> strings = new ArrayList<>(value.size());
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw new InvalidSecretRulesException("%s: %s: %s must be an array of strings".formatted(name, context, field));
                }
                strings.add(element.asText());
            }
            return strings;
        }

        private static String emptyToNull(String value)
        {
            return value == null || value.isEmpty() ? null : value;
        }
    }
}
