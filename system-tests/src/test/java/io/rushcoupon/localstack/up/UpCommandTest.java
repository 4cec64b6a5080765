package io.rushcoupon.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class UpCommandTest {

    @Test
    void putsFurtherGatewaysOnThePortsAfterTheHighestServicePort() {
        assertThat(UpCommand.moreGatewayPorts(1, 8080, 8081, 8082)).isEmpty();
        assertThat(UpCommand.moreGatewayPorts(2, 8080, 8081, 8082)).containsExactly(8083);
        assertThat(UpCommand.moreGatewayPorts(3, 9000, 8081, 8082)).containsExactly(9001, 9002);
    }

    // these are refused before anything starts or any folder is made
    @Test
    void refusesMoreGatewaysThanALaptopHolds() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--gateways", "9")))
                .hasMessage("--gateways takes at most 8, not 9");
    }

    @Test
    void refusesAnNginxPortForASingleGateway() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--nginx-port", "8000")))
                .hasMessageContaining("--nginx-port needs --gateways 2 or more");
    }

    @Test
    void refusesPortsThatCollide() {
        assertThatThrownBy(() -> new UpCommand().run(List.of("--gateways", "2", "--nginx-port", "8083")))
                .hasMessageContaining("the ports must differ");
    }
}
