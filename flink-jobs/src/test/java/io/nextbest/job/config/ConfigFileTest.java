package io.nextbest.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in config/nextbest.yaml documents every key with its default, and loads as the defaults. */
class ConfigFileTest {
    private static final Path FILE = Path.of("..", "config", "nextbest.yaml");

    @Test
    void checkedInFileIsTheRenderedTemplate() throws Exception {
        assertThat(Files.readString(FILE))
                .as("config/nextbest.yaml is out of date: regenerate it with "
                        + "java -cp <classpath> io.nextbest.job.config.ConfigTemplate > config/nextbest.yaml")
                .isEqualTo(ConfigTemplate.render());
    }

    @Test
    void theConfigurationPageListsEveryKey() throws Exception {
        assertThat(Files.readString(Path.of("..", "docs", "configuration.md")))
                .as("docs/configuration.md's table is out of date: regenerate it with "
                        + "java -cp <classpath> io.nextbest.job.config.ConfigTemplate --markdown")
                .contains(ConfigTemplate.markdownTable());
    }

    @Test
    void everyKeyIsDocumentedAndTheFileLoadsAsTheDefaults() throws Exception {
        String text = Files.readString(FILE);
        for (Option<?> o : Settings.ALL) {
            String leaf = o.key().substring(o.key().lastIndexOf('.') + 1);
            assertThat(text).as("doc of %s", o.key()).contains("# " + o.doc() + "\n");
            assertThat(text).contains(leaf + ":");
        }
        NextbestConfig fromFile = NextbestConfig.builder().file(FILE).build();
        assertThat(fromFile.toMap()).isEqualTo(NextbestConfig.defaults().toMap());
    }
}
