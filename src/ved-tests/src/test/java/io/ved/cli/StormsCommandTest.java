package io.ved.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ved storms release refuses a bad request in one line with exit code 2, before it connects to anything. */
class StormsCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "release|name the quarantined messages to release (ids as 'ved storms' shows them, e.g. 0-17), or give --all",
            "release 0-1 --all|give quarantined message ids or --all, not both",
            "release 0-1 --cycle Ping|--cycle goes with --all; quarantined messages named by id are released whatever their loop",
            "release 0_1|'0_1' is not"})
    void aBadRequestIsRefusedBeforeAnythingConnects(String args, String expected) {
        String[] words = ("storms " + args + " --bootstrap 127.0.0.1:1").split(" ");

        CliErrorsTest.assertRefused(CliErrorsTest.run(words), expected);
    }
}
