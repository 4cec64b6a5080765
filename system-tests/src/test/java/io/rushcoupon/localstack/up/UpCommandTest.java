package io.rushcoupon.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class UpCommandTest {

    @Test
    void putsFurtherGatewaysOnPort8090AndUp() {
        assertThat(UpCommand.moreGatewayPorts(1)).isEmpty();
        assertThat(UpCommand.moreGatewayPorts(2)).containsExactly(8090);
        assertThat(UpCommand.moreGatewayPorts(4)).containsExactly(8090, 8091, 8092);
    }

    @Test
    void namesEachPortByTheOptionThatMovesIt() {
        assertThat(UpCommand.ports(8080, 8081, 8082, 8084, UpCommand.moreGatewayPorts(3), 8000)).containsExactly(
                entry("--gateway-port", 8080), entry("--admin-port", 8081), entry("--worker-port", 8082),
                entry("--wallet-port", 8084), entry("gateway 2 of --gateways", 8090), entry("gateway 3 of --gateways", 8091),
                entry("--nginx-port", 8000));
        assertThat(UpCommand.ports(8080, 8081, 8082, 9004, List.of(), 0)).doesNotContainKey("--nginx-port")
                .containsEntry("--wallet-port", 9004);
    }

    // these are refused before anything starts or any folder is made
    @Test
    void refusesMoreGatewaysThanALaptopHolds() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--gateways", "9")))
                .hasMessage("--gateways takes at most 8, not 9");
    }

    @Test
    void refusesMoreKafkaBrokersThanALaptopHolds() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--kafka-brokers", "6")))
                .hasMessage("--kafka-brokers takes at most 5, not 6");
        assertThatThrownBy(() -> new UpCommand().run(List.of("--kafka-brokers", "0")))
                .hasMessage("--kafka-brokers takes a positive whole number, not '0'");
    }

    @Test
    void saysHowAClusterOfBrokersReplicatesTheIssueTopic() {
        assertThat(UpCommand.kafkaShown(1)).isEqualTo("in-process KRaft broker");
        assertThat(UpCommand.kafkaShown(3)).isEqualTo(
                "3 in-process KRaft brokers, one controller quorum; issue topic replicated 3×, min.insync.replicas 2");
    }

    @Test
    void refusesAnNginxPortForASingleGateway() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--nginx-port", "8000")))
                .hasMessageContaining("--nginx-port needs --gateways 2 or more");
    }

    @Test
    void refusesPortsThatCollide() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--gateways", "2", "--nginx-port", "8090")))
                .hasMessageContaining("the ports must differ").hasMessageContaining("gateway 2 of --gateways=8090");
        assertThatThrownBy(() -> new UpCommand().run(List.of("--wallet-port", "8081")))
                .hasMessageContaining("the ports must differ").hasMessageContaining("--wallet-port=8081");
    }

    /** The wallet takes 8084 unless told otherwise: nginx there collides with it. */
    @Test
    void runsTheWalletOn8084ByDefault() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--gateways", "2", "--nginx-port", "8084")))
                .hasMessageContaining("the ports must differ").hasMessageContaining("--wallet-port=8084");
    }

    /** The cluster's nodes take 7000–7005 and their bus 17000–17005: a service there is refused up front. */
    @Test
    void refusesAServicePortThatARedisClusterNodeOrItsBusTakes() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--redis-cluster", "--admin-port", "7003")))
                .hasMessageContaining("the ports must differ")
                .hasMessageContaining("Redis Cluster node 7003 of --redis-cluster=7003");
        assertThatThrownBy(() -> new UpCommand().run(List.of("--redis-cluster", "--wallet-port", "17005")))
                .hasMessageContaining("the ports must differ")
                .hasMessageContaining("Redis Cluster bus 17005 of --redis-cluster=17005");
    }

    @Test
    void refusesAWalletPortThatIsNoPositiveWholeNumber() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--wallet-port", "0")))
                .hasMessage("--wallet-port takes a positive whole number, not '0'");
        assertThatThrownBy(() -> new UpCommand().run(List.of("--wallet-port")))
                .hasMessage("--wallet-port needs a value");
    }

    @Test
    void refusesAPortAnotherProgramHoldsNamingTheOptionThatMovesIt() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();

            assertThatThrownBy(() -> new UpCommand().run(List.of("--wallet-port", Integer.toString(port))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(port + " (--wallet-port)")
                    .hasMessageContaining("in use by another program");
        }
    }

    private static Map.Entry<String, Integer> entry(String option, int port) {
        return Map.entry(option, port);
    }
}
