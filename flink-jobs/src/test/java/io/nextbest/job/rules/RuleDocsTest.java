package io.nextbest.job.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rule documents shown in docs/rules.md and the rule examples of the contract are rules the job accepts. */
class RuleDocsTest {
    private static final Path DOC = Path.of("..", "docs", "rules.md");
    private static final Path EXAMPLES = Path.of("..", "schemas", "src", "main", "resources", "schemas", "examples", "rules");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJsonBlockOfTheDocIsARuleThatParses() throws Exception {
        Matcher m = JSON_BLOCK.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
        List<String> types = new ArrayList<>();
        while (m.find()) {
            ParsedRule rule = RuleParser.parse(Rules.message(m.group(1)));
            types.add(rule.kind().wire() + "/" + rule.type());
        }

        assertThat(types).containsExactlyInAnyOrder("filter/bought-within", "filter/price-range", "filter/category",
                "filter/do-not-recommend", "boost/margin", "boost/promote", "placement/placement", "contact/contact");
    }

    /** The error messages the doc shows are those the parser gives for such definitions. */
    @Test
    void theDocShowsRealErrorMessages() throws Exception {
        Matcher m = Pattern.compile("```text\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertThat(m.find()).isTrue();
        List<String> shown = List.of(m.group(1).split("\\n"));
        List<String> definitions = List.of(
                "{\"type\":\"bought-within\",\"days\":-3}",
                "{\"type\":\"bought-within\",\"dayz\":30}",
                "{\"type\":\"price-range\",\"min\":600,\"max\":500}",
                "{\"type\":\"category\",\"allow\":[\"books\",\"electronics/phones\"],\"deny\":[\"electronics\"]}",
                "{\"type\":\"price-rnage\",\"min\":5}");
        List<String> actual = new ArrayList<>();
        for (String d : definitions) {
            try {
                Rules.parse("r", "filter", d);
            } catch (RuleException e) {
                actual.add(e.getMessage());
            }
        }

        assertThat(shown).containsExactlyElementsOf(actual);
    }

    /**
     * The examples written for the rules engine. (The other valid examples of the folder check the envelope
     * against the schema; their definitions predate this format.)
     */
    @Test
    void theRuleExamplesOfTheContractParse() throws Exception {
        List<String> names = List.of("valid-filter-category-per-segment.json", "valid-boost-promote-with-window.json",
                "valid-placement-list-size.json", "valid-contact-quiet-hours.json", "valid-experiment.json");
        List<String> types = new ArrayList<>();
        for (String name : names) {
            ParsedRule rule = RuleParser.parse(Rules.message(Files.readString(EXAMPLES.resolve(name))));
            types.add(rule.kind().wire() + "/" + rule.type());
        }

        assertThat(types).containsExactly("filter/category", "boost/promote", "placement/placement", "contact/contact",
                "experiment/experiment");
    }

    /** docs/experiments.md: its example parses, and the refusal it shows is the gate's wording (ExperimentGateTest). */
    @Test
    void theExperimentDocsExampleParses() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "experiments.md"), StandardCharsets.UTF_8);
        Matcher m = JSON_BLOCK.matcher(doc);
        assertThat(m.find()).isTrue();
        ExperimentRule x = (ExperimentRule) RuleParser.parse(Rules.message(m.group(1)));
        assertThat(x.variants()).extracting(ExperimentRule.Arm::name).containsExactly("more-content", "trending");
        assertThat(doc).contains("experiment exp-b overlaps experiment exp-a on placement 'home' (exp-a runs"
                + " 2026-12-01T00:00:00Z to 2026-12-15T00:00:00Z): one experiment per placement at a time; end or"
                + " disable exp-a, or change the placements or the window");
        // every setting a variant may change is named
        for (String setting : RuleParser.VARIANT_SETTINGS) {
            assertThat(doc).contains("`" + setting + "`");
        }
    }
}
