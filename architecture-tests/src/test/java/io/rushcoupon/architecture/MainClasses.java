package io.rushcoupon.architecture;

import java.util.regex.Pattern;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * What the rules look at: RushCoupon's main classes, as the reactor hands them over (target/classes
 * or the module jars), without test classes (target/test-classes) or a module's test jar.
 */
final class MainClasses implements ImportOption {

    static final String ROOT = "io.rushcoupon";

    private static final Pattern TEST_JAR = Pattern.compile(".*-tests?\\.jar!/.*");

    private final ImportOption notTests = new DoNotIncludeTests();

    @Override
    public boolean includes(Location location) {
        return notTests.includes(location) && !location.matches(TEST_JAR);
    }
}
