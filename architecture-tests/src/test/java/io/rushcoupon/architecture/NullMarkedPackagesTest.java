package io.rushcoupon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.all;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.NullMarked;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.AbstractClassesTransformer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * Every main package (services, shared modules, harness, launcher, test support) says what it is for and that its
 * types are non-null unless marked {@code @Nullable}, so a new package cannot quietly opt out.
 */
@AnalyzeClasses(packages = MainClasses.ROOT, importOptions = MainClasses.class)
class NullMarkedPackagesTest {

    private static final PackageMatchers MAIN_MODULES = PackageMatchers.of(
            "io.rushcoupon.common..", "io.rushcoupon.web..", "io.rushcoupon.gateway..",
            "io.rushcoupon.worker..", "io.rushcoupon.admin..", "io.rushcoupon.wallet..", "io.rushcoupon.harness..",
            "io.rushcoupon.localstack..", "io.rushcoupon.testsupport..");

    @ArchTest
    static final ArchRule everyMainPackageIsDocumentedAndNullMarked = all(packagesOfMainModules())
            .should(haveANullMarkedPackageInfo());

    private static AbstractClassesTransformer<JavaPackage> packagesOfMainModules() {
        return new AbstractClassesTransformer<>("packages of every main module") {
            @Override
            public Iterable<JavaPackage> doTransform(JavaClasses classes) {
                Set<JavaPackage> packages = new TreeSet<>(Comparator.comparing(JavaPackage::getName));
                for (JavaClass type : classes) {
                    if (MAIN_MODULES.test(type.getPackageName())) {
                        packages.add(type.getPackage());
                    }
                }
                return packages;
            }
        };
    }

    private static ArchCondition<JavaPackage> haveANullMarkedPackageInfo() {
        return new ArchCondition<>("have a package-info annotated with @NullMarked") {
            @Override
            public void check(JavaPackage javaPackage, ConditionEvents events) {
                boolean marked = javaPackage.tryGetPackageInfo()
                        .map(info -> info.isAnnotatedWith(NullMarked.class))
                        .orElse(false);
                String problem = javaPackage.tryGetPackageInfo().isPresent()
                        ? "package-info of " + javaPackage.getName() + " is not annotated with @NullMarked"
                        : "package " + javaPackage.getName() + " has no package-info";
                events.add(new SimpleConditionEvent(javaPackage, marked, problem));
            }
        };
    }
}
