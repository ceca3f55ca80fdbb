package dev.tracewh.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Realistic lines that each hold one secret of a known kind, made from a seed: the secrets have the shape and the
 * entropy the rules look for, but are random, so no real-looking credential is written into the sources. For tests
 * here and in the loader's packages.
 */
public final class PlantedSecrets
{
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String DIGITS = "0123456789";
    private static final String ALNUM = UPPER + LOWER + DIGITS;
    private static final String HEX = "0123456789abcdef";
    private static final String BASE64 = ALNUM + "+/";
    private static final String URL_SAFE = ALNUM + "_-";
    // no vowels (nor h, m, t): a generic-api-key secret must not contain one of that rule's ~1,400 stop words
    private static final String PASSWORD = "BCDFGJKLNPQRSVWXZbcdfgjklnpqrsvwxz23456789";

    /**
     * @param ruleId the gitleaks (or tracewh) rule expected to report it
     * @param text a line as it could appear in a session
     * @param secret the part of {@code text} that is the secret, as the rule's secret group takes it
     */
    public record Planted(String ruleId, String text, String secret)
    {
        public Planted
        {
            requireNonNull(ruleId, "ruleId is null");
            requireNonNull(text, "text is null");
            requireNonNull(secret, "secret is null");
            if (!text.contains(secret)) {
                throw new IllegalArgumentException("text does not contain the secret");
            }
        }
    }

    private final long seed;

    public PlantedSecrets(long seed)
    {
        this.seed = seed;
    }

    /** One line per kind of secret, the same for the same seed. */
    public List<Planted> all()
    {
        SplittableRandom random = new SplittableRandom(seed);
        List<Planted> planted = new ArrayList<>();

        String awsKeyId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        planted.add(new Planted("aws-access-token", "aws configure set aws_access_key_id " + awsKeyId, awsKeyId));
        String awsSecret = chars(random, PASSWORD, 1) + chars(random, PASSWORD + "/+", 39);
        planted.add(new Planted("generic-api-key", "export AWS_SECRET_ACCESS_KEY=" + awsSecret, awsSecret));
        String gcp = "AIza" + chars(random, URL_SAFE, 35);
        planted.add(new Planted("gcp-api-key", "const firebaseConfig = { apiKey: \"" + gcp + "\", projectId: \"demo-app\" };", gcp));
        String githubPat = "ghp_" + chars(random, ALNUM, 36);
        planted.add(new Planted("github-pat", "git clone https://x-access-token:" + githubPat + "@github.com/acme/infra.git",
                githubPat));
        String fineGrained = "github_pat_" + chars(random, ALNUM, 22) + "_" + chars(random, ALNUM, 59);
        planted.add(new Planted("github-fine-grained-pat", "gh auth login --with-token <<< " + fineGrained, fineGrained));
        String githubOauth = "gho_" + chars(random, ALNUM, 36);
        planted.add(new Planted("github-oauth", "The CLI stored oauth_token: " + githubOauth + " in ~/.config/gh/hosts.yml", githubOauth));
        String gitlab = "glpat-" + chars(random, URL_SAFE, 20);
        planted.add(new Planted("gitlab-pat", "curl --header \"PRIVATE-TOKEN: " + gitlab + "\" https://gitlab.example.com/api/v4/projects", gitlab));
        String slackBot = "xoxb-" + chars(random, DIGITS, 12) + "-" + chars(random, DIGITS, 13) + "-" + chars(random, ALNUM, 24);
        planted.add(new Planted("slack-bot-token", "SLACK_BOT_TOKEN=" + slackBot, slackBot));
        String webhook = "https://hooks.slack.com/services/T" + chars(random, UPPER + DIGITS, 10) + "/B" + chars(random, UPPER + DIGITS, 10) + "/"
                + chars(random, ALNUM, 24);
        planted.add(new Planted("slack-webhook-url", "Posting the alert to " + webhook + " failed with 404", webhook));
        String stripe = "sk_live_" + chars(random, ALNUM, 99 - 8 - 10);
        planted.add(new Planted("stripe-access-token", "stripe.api_key = '" + stripe + "'", stripe));
        String anthropic = "sk-ant-api03-" + chars(random, URL_SAFE, 92) + "xAA";
        planted.add(new Planted("anthropic-api-key", "export ANTHROPIC_API_KEY=" + anthropic, anthropic));
        String openai = "sk-proj-" + chars(random, URL_SAFE, 73) + "x" + "T3BlbkFJ" + chars(random, URL_SAFE, 73) + "x";
        planted.add(new Planted("openai-api-key", "client = OpenAI(api_key=\"" + openai + "\")", openai));
        String privateKey = privateKey(random);
        planted.add(new Planted("private-key", "Here is the deploy key I generated:\n" + privateKey + "\nAdd it to the server.", privateKey));
        String jwt = jwt(random);
        planted.add(new Planted("jwt", "headers = {'Authorization': 'Bearer " + jwt + "'}", jwt));
        String dbPassword = chars(random, PASSWORD, 18);
        planted.add(new Planted("url-password", "DATABASE_URL=postgres://app_user:" + dbPassword + "@db.internal.example.com:5432/app", dbPassword));
        String mongoPassword = chars(random, PASSWORD, 14);
        planted.add(new Planted("url-password", "mongosh \"mongodb+srv://admin:" + mongoPassword + "@cluster0.ab1cd.mongodb.net/test\"", mongoPassword));
        String envPassword = chars(random, PASSWORD, 20);
        planted.add(new Planted("generic-api-key", "DB_PASSWORD=" + envPassword, envPassword));
        String twilio = "SK" + chars(random, HEX, 32);
        planted.add(new Planted("twilio-api-key", "twilio api:core:keys:create returned sid " + twilio, twilio));
        String sendgrid = "SG." + chars(random, URL_SAFE, 22) + "." + chars(random, URL_SAFE, 43);
        planted.add(new Planted("sendgrid-api-token", "sg = SendGridAPIClient('" + sendgrid + "')", sendgrid));
        String npm = "npm_" + chars(random, LOWER + DIGITS, 36);
        planted.add(new Planted("npm-access-token", "//registry.npmjs.org/:_authToken=" + npm, npm));
        String pypi = "pypi-AgEIcHlwaS5vcmc" + chars(random, URL_SAFE, 60);
        planted.add(new Planted("pypi-upload-token", "twine upload -u __token__ -p " + pypi + " dist/*", pypi));
        String huggingFace = "hf_" + chars(random, UPPER + LOWER, 34);
        planted.add(new Planted("huggingface-access-token", "huggingface-cli login --token " + huggingFace, huggingFace));
        String azure = chars(random, ALNUM, 3) + chars(random, DIGITS, 1) + "Q~" + chars(random, ALNUM + "_.~-", 33) + "x";
        planted.add(new Planted("azure-ad-client-secret", "AZURE_CLIENT_SECRET=\"" + azure + "\"", azure));
        String heroku = "HRKU-AA" + chars(random, URL_SAFE, 57) + "x";
        planted.add(new Planted("heroku-api-key-v2", "heroku config:set HEROKU_API_KEY " + heroku, heroku));
        String discord = chars(random, HEX, 64);
        planted.add(new Planted("discord-api-token", "DISCORD_TOKEN=" + discord, discord));
        String digitalOcean = "dop_v1_" + chars(random, HEX, 64);
        planted.add(new Planted("digitalocean-pat", "doctl auth init --access-token " + digitalOcean, digitalOcean));
        String linear = "lin_api_" + chars(random, ALNUM, 40);
        planted.add(new Planted("linear-api-key", "LINEAR_API_KEY: " + linear, linear));
        String sentry = "sntryu_" + chars(random, HEX, 64);
        planted.add(new Planted("sentry-user-token", "sentry-cli --auth-token " + sentry + " releases list", sentry));
        String age = "AGE-SECRET-KEY-1" + chars(random, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58);
        planted.add(new Planted("age-secret-key", "# created: 2026-01-05\n" + age, age));
        String databricks = "dapi" + chars(random, HEX, 32);
        planted.add(new Planted("databricks-api-token", "databricks configure --token " + databricks, databricks));
        String shopify = "shpat_" + chars(random, HEX, 32);
        planted.add(new Planted("shopify-access-token", "X-Shopify-Access-Token: " + shopify, shopify));
        return List.copyOf(planted);
    }

    private static String privateKey(SplittableRandom random)
    {
        StringBuilder key = new StringBuilder("-----BEGIN RSA PRIVATE KEY-----\n");
        key.append("MIIEow").append(chars(random, BASE64, 58)).append('\n');
        for (int line = 0; line < 12; line++) {
            key.append(chars(random, BASE64, 64)).append('\n');
        }
        key.append(chars(random, BASE64, 20)).append("==\n");
        return key.append("-----END RSA PRIVATE KEY-----").toString();
    }

    private static String jwt(SplittableRandom random)
    {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = encoder.encodeToString("{\"sub\":\"%s\",\"iat\":%d}".formatted(chars(random, DIGITS, 10), 1_760_000_000 + random.nextInt(1_000_000))
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + chars(random, ALNUM, 43);
    }

    private static String chars(SplittableRandom random, String alphabet, int count)
    {
        StringBuilder chars = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            chars.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return chars.toString();
    }
}
