package dev.tracewh.format.atif;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.WholeDocument;
import dev.tracewh.format.TraceAssembler;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.io.InputStream;

import java.math.BigDecimal;
import java.nio.file.Path;

import java.time.Instant;
import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads one ATIF document into its trace and one trace per embedded sub-agent trajectory. The document is read
 * whole, but its steps are located: an issue names the JSON line where its step starts (line 0: the whole file).
 * Only a document that yields no trace is rejected (not JSON, not an object, no id, no steps); a step that cannot
 * be read is an issue, and the rest of the document loads.
 */
final class TrajectoryParser
{
    static final String NOT_A_TRAJECTORY = "not_a_trajectory";
    static final String INVALID_STEP = "invalid_step";

    /** A Terminus-2 continuation shares its run's session_id; its file name tells it apart. */
    private static final Pattern CONTINUATION = Pattern.compile("trajectory\\.cont-(\\d+)\\.json");
    /**
     * A Claude Code converter writes tool results as system steps without {@code source_call_id}; the step's message
     * is the only link to the call (fixture {@code results/trajectories/regex-log/…/trajectory.json}).
     */
    private static final Pattern TOOL_RESULT_FOR = Pattern.compile("Tool result for (\\S+)");
    private static final int SHOWN_CHARS = 64;

    private final Path file;
    private final ObjectMapper mapper;
    private final ObjectReader valueReader;
    private final ReadOptions options;
    private final List<ParseIssue> issues = new ArrayList<>();

    private record Located(JsonNode node, long line) {}

    private record Document(ObjectNode root, List<Located> steps, List<Located> children) {}

    private record PendingResult(String callId, int ordinal, String text, Boolean isError) {}

    TrajectoryParser(Path file, ObjectMapper mapper, ReadOptions options)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.valueReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.options = requireNonNull(options, "options is null");
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        WholeDocument whole = WholeDocument.read(input, options);
        if (whole.tooLarge()) {
            return whole.tooLargeFile("the document", options, issues);
        }
        byte[] bytes = whole.bytes();
        List<Trace> traces = new ArrayList<>();
        Document document = read(bytes);
        if (document != null) {
            trajectory(document.root(), document.steps(), document.children(), 1, null, traces);
        }
        return new ParsedFile(traces, issues, whole.consumedBytes(), whole.consumedSha256(), whole.checkpointSha256(), whole.replacedCharacters());
    }

    /** The document's root with the start line of each step, or null (and an issue) when it is not a JSON object. */
    private Document read(byte[] bytes)
            throws IOException
    {
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                String found = first == null ? "nothing" : value(parser).getNodeType().name().toLowerCase(Locale.ROOT);
                issues.add(new ParseIssue(0, JsonLines.NOT_AN_OBJECT, "expected an ATIF document (a JSON object), found " + found, null));
                return null;
            }
            ObjectNode root = mapper.getNodeFactory().objectNode();
            List<Located> steps = null;
            List<Located> children = List.of();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if ("steps".equals(name) && token == JsonToken.START_ARRAY) {
                    steps = located(parser, root.putArray(name));
                }
                else if ("subagent_trajectories".equals(name) && token == JsonToken.START_ARRAY) {
                    children = located(parser, root.putArray(name));
                }
                else {
                    root.set(name, value(parser));
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "trailing content (" + trailing + ") after the document");
            }
            return new Document(root, steps, children);
        }
        catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            issues.add(new ParseIssue(line, JsonLines.INVALID_JSON, e.getOriginalMessage(), null));
            return null;
        }
    }

    /** The elements of the array the parser is on, each with the line it starts on, also added to {@code array}. */
    private List<Located> located(JsonParser parser, ArrayNode array)
            throws IOException
    {
        List<Located> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            long line = parser.currentTokenLocation().getLineNr();
            JsonNode element = value(parser);
            elements.add(new Located(element, line));
            array.add(element);
        }
        return elements;
    }

    private JsonNode value(JsonParser parser)
            throws IOException
    {
        JsonNode value = valueReader.readTree(parser);
        return value == null ? NullNode.getInstance() : value;
    }

    /**
     * Adds the trace of one trajectory, then those of its embedded sub-agents. {@code steps} is null when the
     * document has no steps array; the top document's steps and sub-agents are located, and those of an embedded
     * trajectory take the line it starts on. {@code embeddedRoot} is null for the top document, else the root session of
     * the document an embedded trajectory is in.
     */
    private void trajectory(JsonNode document, List<Located> steps, List<Located> children, long line, String embeddedRoot, List<Trace> traces)
    {
        String sessionId = JsonFields.nonEmptyText(document, "session_id");
        String trajectoryId = JsonFields.nonEmptyText(document, "trajectory_id");
        boolean embedded = embeddedRoot != null;
        // a sub-agent in a file of its own names its parent's session (Terminus-2 summarization sub-agents write
        // agent.extra.parent_session_id); only the child says so, so the link holds whichever file loads first
        String parentSession = embedded ? null : parentSessionId(document, sessionId, trajectoryId);
        // a document is its session, as in Data Designer, but a continuation shares its run's session_id; embedded
        // sub-agents share it too (v1.7), and their trajectory_id is required, as is a file sub-agent's that does
        String continuation = !embedded && parentSession == null && sessionId != null ? continuationId(sessionId) : null;
        String traceId = embedded || sessionId != null && sessionId.equals(parentSession) ? firstNonNull(trajectoryId, sessionId)
                : firstNonNull(continuation, firstNonNull(sessionId, trajectoryId));
        if (traceId == null) {
            issue(line, NOT_A_TRAJECTORY, "the trajectory has neither session_id nor trajectory_id: no trace can be formed", document);
            return;
        }
        String root = embedded ? embeddedRoot : parentSession != null ? parentSession : sessionId != null ? sessionId : traceId;
        if (steps == null) {
            JsonNode array = document.get("steps");
            if (array == null || !array.isArray()) {
                issue(line, NOT_A_TRAJECTORY, "trajectory " + traceId + " has no steps list: no trace can be formed", document);
                return;
            }
            steps = locatedAt(array, line);
        }
        if (steps.isEmpty()) {
            issue(line, NOT_A_TRAJECTORY, "trajectory " + traceId + " has no steps: no trace can be formed", document);
            return;
        }
        StepReader reader = new StepReader(traceId, JsonFields.object(document, "agent"));
        for (int i = 0; i < steps.size(); i++) {
            reader.step(steps.get(i).node(), steps.get(i).line(), i + 1);
        }
        traces.add(reader.build(document, sessionId, continuation != null, parentSession, root, embedded || parentSession != null, steps.size()));
        for (Located child : children != null ? children : locatedAt(document.get("subagent_trajectories"), line)) {
            if (child.node().isObject()) {
                trajectory(child.node(), null, null, child.line(), root, traces);
            }
            else {
                issue(child.line(), NOT_A_TRAJECTORY, "an embedded sub-agent trajectory of " + traceId + " is not an object: skipped", child.node());
            }
        }
    }

    /**
     * The session a document in a file of its own names as its parent ({@code agent.extra.parent_session_id}), or
     * null; a document naming itself is no sub-agent, nor is one sharing its parent's session_id without a
     * trajectory_id of its own (its trace would be its parent's).
     */
    private static String parentSessionId(JsonNode document, String sessionId, String trajectoryId)
    {
        JsonNode extra = JsonFields.object(JsonFields.object(document, "agent"), "extra");
        String parent = extra == null ? null : JsonFields.nonEmptyText(extra, "parent_session_id");
        if (parent == null || parent.equals(trajectoryId) || parent.equals(sessionId) && trajectoryId == null) {
            return null;
        }
        return parent;
    }

    /** The elements of an array that was not located, all on {@code line}; none when it is not an array. */
    private static List<Located> locatedAt(JsonNode array, long line)
    {
        List<Located> elements = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                elements.add(new Located(element, line));
            }
        }
        return elements;
    }

    private String continuationId(String sessionId)
    {
        Matcher name = CONTINUATION.matcher(file.getFileName().toString());
        return name.matches() ? sessionId + "-cont-" + name.group(1) : null;
    }

    private void issue(long line, String errorClass, String message, JsonNode node)
    {
        String text = node.toString();
        String window = text.length() <= ParseIssue.EXCERPT_WINDOW_CHARS ? text : text.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS);
        issues.add(new ParseIssue(line, errorClass, message, options.excerpt().apply(window)));
    }

    /** The steps of one trajectory, in order, into one trace. */
    private final class StepReader
    {
        private final String traceId;
        private final JsonNode agent;
        private final String agentModel;
        private final TraceAssembler trace = new TraceAssembler();
        private final List<PendingResult> results = new ArrayList<>();
        private final List<Object> copiedStepIds = new ArrayList<>();
        private final List<Object> subagentRefs = new ArrayList<>();
        /** The call whose result names each sub-agent (by trajectory_id and session_id), for v_traces.parent_tool_call_id. */
        private final Map<String, String> subagentCallIds = new LinkedHashMap<>();
        private BigDecimal costUsd;

        StepReader(String traceId, JsonNode agent)
        {
            this.traceId = traceId;
            this.agent = agent;
            // conformant producers write agent.model_name; a Claude Code converter writes agent.model
            String model = JsonFields.nonEmptyText(agent == null ? NullNode.getInstance() : agent, "model_name");
            this.agentModel = model != null || agent == null ? model : JsonFields.nonEmptyText(agent, "model");
        }

        void step(JsonNode step, long line, int position)
        {
            if (!step.isObject()) {
                issue(line, INVALID_STEP, "step " + position + " is not an object: skipped", step);
                return;
            }
            JsonNode stepId = step.get("step_id");
            if (stepId == null || !stepId.canConvertToLong() || stepId.longValue() != position) {
                trace.count("step_ids_out_of_sequence");
            }
            String source = JsonFields.text(step, "source");
            Role role = source == null ? null : switch (source) {
                case "user" -> Role.USER;
                case "agent" -> Role.ASSISTANT;
                case "system" -> Role.SYSTEM;
                default -> null;
            };
            if (role == null) {
                issue(line, INVALID_STEP, "step " + position + " has source " + shown(String.valueOf(step.get("source")))
                        + ", not user, agent or system: skipped", step);
                return;
            }
            trace.countRecordType(source);
            boolean copied = JsonFields.isTrue(step, "is_copied_context");
            if (copied) {
                copiedStepIds.add(stepId == null ? position : mapper.convertValue(stepId, Object.class));
            }
            Instant timestamp = timestamp(step, line);
            trace.seeTimestamp(timestamp);
            MessageDraft message = new MessageDraft(role);
            message.lineNumber = line;
            message.createdAt = timestamp;
            if (role == Role.ASSISTANT) {
                String model = JsonFields.nonEmptyText(step, "model_name");
                message.model = model != null ? model : agentModel;
                trace.addModel(message.model);
            }
            content(step.get("message"), message.content);
            message.addReasoning(JsonFields.text(step, "reasoning_content"));
            int ordinal = trace.add(message);
            toolCalls(step, line, position, timestamp);
            observation(step, line, position, timestamp);
            if (!copied) {
                // a copied step's usage was the earlier trajectory's: counting it again would double the run's tokens
                metrics(JsonFields.object(step, "metrics"), line, position, ordinal, message.model, timestamp);
            }
        }

        private Instant timestamp(JsonNode step, long line)
        {
            String text = JsonFields.text(step, "timestamp");
            Instant instant = JsonFields.instant(text);
            if (instant != null && (instant.isBefore(LineValues.EARLIEST) || !instant.isBefore(LineValues.END))) {
                issue(line, LineValues.OUT_OF_RANGE, "timestamp " + shown(text) + " is outside 1970-01-01..9999-12-31: stored as null", step);
                return null;
            }
            return instant;
        }

        /** Conformant calls are {@code {tool_call_id, function_name, arguments}}; a Claude Code converter writes {@code {id, name, arguments}}. */
        private void toolCalls(JsonNode step, long line, int position, Instant timestamp)
        {
            JsonNode calls = step.get("tool_calls");
            if (calls == null || calls.isNull()) {
                return;
            }
            if (!calls.isArray()) {
                issue(line, INVALID_STEP, "tool_calls of step " + position + " is not a list: left out", step);
                return;
            }
            for (JsonNode call : calls) {
                String id = call.isObject() ? firstText(call, "tool_call_id", "id") : null;
                String name = call.isObject() ? firstText(call, "function_name", "name") : null;
                if (id == null || name == null) {
                    issue(line, INVALID_STEP, "a tool call of step " + position + " has no tool_call_id or function_name: left out", call);
                    continue;
                }
                trace.addToolCall(id, name, arguments(call.get("arguments")), timestamp);
            }
        }

        private void observation(JsonNode step, long line, int position, Instant timestamp)
        {
            JsonNode observation = step.get("observation");
            if (observation == null || observation.isNull()) {
                return;
            }
            if (!observation.isObject()) {
                issue(line, INVALID_STEP, "observation of step " + position + " is not an object: left out", step);
                return;
            }
            JsonNode list = observation.get("results");
            if (list != null && list.isArray()) {
                for (JsonNode result : list) {
                    if (result.isObject()) {
                        result(result, JsonFields.nonEmptyText(result, "source_call_id"), line, position, timestamp);
                    }
                    else {
                        issue(line, INVALID_STEP, "an observation result of step " + position + " is not an object: left out", result);
                    }
                }
            }
            else if (observation.has("content")) {
                // a converter's observation is the result itself; its call is named by the step's message only
                trace.count("observations_without_results");
                String message = JsonFields.text(step, "message");
                Matcher named = message == null ? null : TOOL_RESULT_FOR.matcher(message);
                result(observation, named != null && named.matches() ? named.group(1) : null, line, position, timestamp);
            }
            else {
                issue(line, INVALID_STEP, "observation of step " + position + " has neither results nor content: left out", step);
            }
        }

        private void result(JsonNode result, String callId, long line, int position, Instant timestamp)
        {
            JsonNode refs = result.get("subagent_trajectory_ref");
            if (refs != null && refs.isArray() && !refs.isEmpty()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("step_id", position);
                entry.put("refs", mapper.convertValue(refs, Object.class));
                subagentRefs.add(entry);
                for (JsonNode ref : callId == null ? List.<JsonNode>of() : refs) {
                    for (String key : List.of("trajectory_id", "session_id")) {
                        String child = JsonFields.nonEmptyText(ref, key);
                        if (child != null) {
                            subagentCallIds.putIfAbsent(child, callId);
                        }
                    }
                }
            }
            JsonNode content = result.get("content");
            if (content == null || content.isNull()) {
                return;
            }
            MessageDraft tool = new MessageDraft(Role.TOOL);
            tool.toolCallId = callId;
            tool.lineNumber = line;
            tool.createdAt = timestamp;
            content(content, tool.content);
            int ordinal = trace.add(tool);
            if (callId == null) {
                // allowed since v1.2: the result of a system operation, not of a call
                trace.count("results_without_call_id");
                return;
            }
            // results may precede their calls (a converter writes them first), so they are paired after the last step
            results.add(new PendingResult(callId, ordinal, text(tool.content), isError(result)));
        }

        /** A converter's {@code result.success}; ATIF itself has no error flag. */
        private Boolean isError(JsonNode result)
        {
            JsonNode outcome = JsonFields.object(result, "result");
            JsonNode success = outcome == null ? null : outcome.get("success");
            return success != null && success.isBoolean() ? !success.booleanValue() : null;
        }

        /** Per-step usage: ATIF's prompt_tokens include the cached ones, the warehouse's input tokens do not. */
        private void metrics(JsonNode metrics, long line, int position, int ordinal, String model, Instant timestamp)
        {
            if (metrics == null) {
                return;
            }
            JsonNode cost = metrics.get("cost_usd");
            if (cost != null && cost.isNumber()) {
                costUsd = costUsd == null ? cost.decimalValue() : costUsd.add(cost.decimalValue());
            }
            if (!hasAny(metrics, "prompt_tokens", "completion_tokens", "cached_tokens")) {
                return;
            }
            for (String field : List.of("prompt_tokens", "completion_tokens", "cached_tokens")) {
                JsonNode value = metrics.get(field);
                if (value != null && !value.isNull() && !isCount(value)) {
                    issue(line, LineValues.INVALID_COUNT, field + " " + shown(value.toString()) + " of step " + position + " is not a token count (an integer from 0 to "
                            + LineValues.MAX_COUNT + "): the step's usage is left out", metrics);
                    return;
                }
            }
            long prompt = JsonFields.longValue(metrics, "prompt_tokens");
            long cached = JsonFields.longValue(metrics, "cached_tokens");
            long completion = JsonFields.longValue(metrics, "completion_tokens");
            if (cached > prompt) {
                trace.count("cached_tokens_above_prompt");
            }
            trace.putUsage(new TokenUsage(traceId + "/step-" + position, "", ordinal, model, timestamp,
                    Math.max(0, prompt - cached), 0, 0, cached, completion, 0));
        }

        Trace build(JsonNode document, String sessionId, boolean isContinuation, String parentSession, String root, boolean isSidechain, int stepCount)
        {
            for (PendingResult result : results) {
                trace.addToolResult(result.callId(), result.ordinal(), result.text(), result.isError(), null, null);
            }
            SortedMap<String, Object> meta = trace.sourceMeta();
            putText(meta, "schema_version", JsonFields.text(document, "schema_version"));
            putText(meta, "session_id", sessionId);
            putText(meta, "trajectory_id", JsonFields.nonEmptyText(document, "trajectory_id"));
            meta.put("step_count", stepCount);
            if (isContinuation) {
                meta.put("continuation_of", sessionId);
            }
            putText(meta, "parent_session_id", parentSession);
            if (agent != null) {
                putText(meta, "agent_name", JsonFields.nonEmptyText(agent, "name"));
                putText(meta, "agent_version", JsonFields.nonEmptyText(agent, "version"));
                putText(meta, "model_name", agentModel);
                putText(meta, "model_provider", JsonFields.nonEmptyText(agent, "provider"));
                trace.addVersion(JsonFields.nonEmptyText(agent, "version"));
                trace.addModel(agentModel);
            }
            putText(meta, "notes", JsonFields.text(document, "notes"));
            putText(meta, "continued_trajectory_ref", JsonFields.text(document, "continued_trajectory_ref"));
            putJson(meta, "final_metrics", document.get("final_metrics"));
            putJson(meta, "extra", document.get("extra"));
            if (!copiedStepIds.isEmpty()) {
                meta.put("copied_context_step_ids", List.copyOf(copiedStepIds));
            }
            if (!subagentRefs.isEmpty()) {
                meta.put("subagent_trajectory_refs", List.copyOf(subagentRefs));
            }
            if (!subagentCallIds.isEmpty()) {
                meta.put("subagent_call_ids", new LinkedHashMap<>(subagentCallIds));
            }
            if (costUsd != null) {
                meta.put("step_cost_usd", costUsd);
            }
            JsonNode extra = agent == null ? null : JsonFields.object(agent, "extra");
            String cwd = extra == null ? null : JsonFields.nonEmptyText(extra, "cwd");
            String projectPath = extra == null ? null : JsonFields.nonEmptyText(extra, "project_path");
            String gitBranch = extra == null ? null : JsonFields.nonEmptyText(extra, "git_branch");
            return new Trace(traceId, AtifFormat.ID, file.toString(), root, isSidechain ? traceId : null, isSidechain,
                    cwd, projectPath != null ? projectPath : cwd, gitBranch, trace.startedAt(), trace.endedAt(),
                    trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta, null, null, trace.versions(), trace.models());
        }

        private void putJson(SortedMap<String, Object> meta, String key, JsonNode value)
        {
            if (value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
                meta.put(key, mapper.convertValue(value, Object.class));
            }
        }
    }

    /** Text, ContentPart lists (v1.6) and, from non-conformant producers, any other JSON value, which is kept as JSON text. */
    private static void content(JsonNode value, List<ContentBlock> blocks)
    {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            blocks.add(ContentBlock.text(value.textValue()));
            return;
        }
        if (!value.isArray()) {
            blocks.add(ContentBlock.text(value.toString()));
            return;
        }
        for (JsonNode part : value) {
            String type = JsonFields.text(part, "type");
            if ("text".equals(type) && part.path("text").isTextual()) {
                blocks.add(ContentBlock.text(part.get("text").textValue()));
            }
            else if ("image".equals(type)) {
                // v1.6 images are file paths, not payloads: only the media type is kept
                blocks.add(new ContentBlock("image", null, JsonFields.nonEmptyText(part.path("source"), "media_type")));
            }
            else {
                blocks.add(ContentBlock.text(part.isTextual() ? part.textValue() : part.toString()));
            }
        }
    }

    private static String text(List<ContentBlock> blocks)
    {
        StringBuilder text = new StringBuilder();
        for (ContentBlock block : blocks) {
            if (block.isText()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(block.text());
            }
        }
        return text.toString();
    }

    /** Arguments are an object in ATIF; a string is kept as written, and a missing value is an empty object. */
    private static String arguments(JsonNode value)
    {
        if (value == null || value.isNull()) {
            return "{}";
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }

    private static String firstText(JsonNode node, String field, String fallback)
    {
        String text = JsonFields.nonEmptyText(node, field);
        return text != null ? text : JsonFields.nonEmptyText(node, fallback);
    }

    private static String firstNonNull(String first, String second)
    {
        return first != null ? first : second;
    }

    private static boolean hasAny(JsonNode node, String... fields)
    {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCount(JsonNode value)
    {
        return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0 && value.longValue() <= LineValues.MAX_COUNT;
    }

    private static void putText(SortedMap<String, Object> meta, String key, String value)
    {
        if (value != null) {
            meta.put(key, value);
        }
    }

    private static String shown(String value)
    {
        return value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "…";
    }
}
