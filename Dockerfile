# The Ved CLI in a container; its default command runs the example application against the stack of
# docker-compose.yml. Build from the repository root: docker build -t ved .

# ---- build: ved-cli and the modules it needs (core, stack, example), packaged without tests ----
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
COPY pom.xml ./
COPY src/ src/
COPY domains/ domains/
COPY schemas/ schemas/
COPY topology/ topology/
RUN mvn -B -ntp -Dmaven.test.skip=true -pl src/ved-cli -am install \
 && mvn -B -ntp -f src/ved-cli/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

# ---- runtime: a JRE, the jar, its runtime dependencies and the topology files ----
FROM eclipse-temurin:21-jre
# uid 10001: the base image already has a user 1000 (ubuntu).
RUN groupadd --system --gid 10001 ved \
 && useradd --system --uid 10001 --gid ved --home-dir /app --no-create-home --shell /usr/sbin/nologin ved \
 && mkdir -p /var/lib/ved/state \
 && chown -R ved:ved /var/lib/ved
WORKDIR /app
COPY --from=build /build/src/ved-cli/target/lib/ /app/lib/
COPY --from=build /build/src/ved-cli/target/ved-cli-*.jar /app/ved.jar
COPY topology/ /app/topology/
USER ved
ENTRYPOINT ["java", "-cp", "/app/ved.jar:/app/lib/*", "io.ved.cli.VedCli"]
CMD ["run", "--bootstrap", "kafka:9092", "--registry", "http://registry:8080/apis/ccompat/v7", \
     "--topology", "/app/topology/example.yaml", "--state-dir", "/var/lib/ved/state"]
