package dev.tracewh.llm;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChatEndpointTest
{
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "TRACEWH_LLM_BASE_URL", "http://127.0.0.1:8080/v1",
            "TRACEWH_LLM_MODEL", "qwen3-8b",
            "TRACEWH_LLM_API_KEY", "tw-key-1234567890",
            "OPENAI_API_KEY", "sk-openai-0987654321");

    @Test
    void readsTheEnvironmentAndPrefersTraceWarehousesOwnKey()
    {
        assertEquals(new ChatEndpoint(URI.create("http://127.0.0.1:8080/v1"), "qwen3-8b", "tw-key-1234567890"),
                ChatEndpoint.resolve(ENVIRONMENT, null, null));
    }

    @Test
    void optionsWinOverTheEnvironment()
    {
        ChatEndpoint endpoint = ChatEndpoint.resolve(ENVIRONMENT, "https://integrate.api.nvidia.com/v1", "nvidia/nemotron");
        assertEquals(URI.create("https://integrate.api.nvidia.com/v1"), endpoint.baseUrl());
        assertEquals("nvidia/nemotron", endpoint.model());
    }

    @Test
    void fallsBackToOpenAisKeyAndToNoKeyWhenBlankOrAbsent()
    {
        Map<String, String> openAiOnly = Map.of("TRACEWH_LLM_API_KEY", " ", "OPENAI_API_KEY", "sk-openai-0987654321");
        assertEquals("sk-openai-0987654321", ChatEndpoint.resolve(openAiOnly, "https://api.openai.com/v1", "gpt-5-mini").apiKey());
        ChatEndpoint local = ChatEndpoint.resolve(Map.of(), "http://127.0.0.1:11434/v1", "llama3.2");
        assertNull(local.apiKey());
        assertFalse(local.hasApiKey());
    }

    @Test
    void namesTheOptionAndVariableOfWhatIsMissing()
    {
        assertEquals("no endpoint: give --base-url or set TRACEWH_LLM_BASE_URL (for example https://api.openai.com/v1 or http://127.0.0.1:8080/v1)",
                assertThrows(IllegalArgumentException.class, () -> ChatEndpoint.resolve(Map.of("TRACEWH_LLM_MODEL", "m"), null, null)).getMessage());
        assertEquals("no model: give --model or set TRACEWH_LLM_MODEL",
                assertThrows(IllegalArgumentException.class, () -> ChatEndpoint.resolve(Map.of(), "http://127.0.0.1:8080/v1", " ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChatEndpoint.resolve(Map.of(), "ftp://host/v1", "m"));
    }

    @Test
    void theChatCompletionsUrlToleratesATrailingSlash()
    {
        assertEquals(URI.create("https://api.openai.com/v1/chat/completions"),
                new ChatEndpoint(URI.create("https://api.openai.com/v1/"), "m", null).chatCompletionsUrl());
        assertEquals(URI.create("http://127.0.0.1:8080/v1/chat/completions"),
                new ChatEndpoint(URI.create("http://127.0.0.1:8080/v1"), "m", null).chatCompletionsUrl());
    }

    @Test
    void neitherToStringNorAnErrorShowsTheKey()
    {
        ChatEndpoint endpoint = ChatEndpoint.resolve(ENVIRONMENT, null, null);
        assertEquals("ChatEndpoint[baseUrl=http://127.0.0.1:8080/v1, model=qwen3-8b, apiKey=(set)]", endpoint.toString());
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> new ChatEndpoint(URI.create("http://127.0.0.1/v1"), "m", "tw-key\r\nX-Injected: 1"));
        assertFalse(broken.getMessage().contains("tw-key"), broken.getMessage());
        IllegalArgumentException withUser = assertThrows(IllegalArgumentException.class,
                () -> new ChatEndpoint(URI.create("https://user:secret@proxy.example/v1"), "m", null));
        assertFalse(withUser.getMessage().contains("secret"), withUser.getMessage());
    }
}
