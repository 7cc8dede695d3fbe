/// The built-in sample `wireless.cfg`: Spectralink's layout, TLS parameters with `.set="0"`.
public enum Sample {
    /// The file name the sample is shown under.
    public static let name = "wireless.cfg"

    /// A new file's text: the root element and the device element, nothing set.
    public static let skeleton = """
    <?xml version="1.0" encoding="utf-8" standalone="yes"?>
    <polycomConfig>
      <device device.set="1">
      </device>
    </polycomConfig>

    """

    /// The sample's text.
    public static let text = """
    <?xml version="1.0" encoding="utf-8" standalone="yes"?>
    <!-- wireless.cfg: Spectralink 84-Series wireless, security and provisioning settings -->
    <!-- Every device.* value is used only when its .set flag is 1 and device.set is 1. -->
    <polycomConfig>
      <device device.set="1">
        <WIRELESS
          device.wifi.enabled="1"
          device.wifi.enabled.set="1"
          device.wifi.ssid="Corp-Voice"
          device.wifi.ssid.set="1"
          device.wifi.securityMode="WPA2-Enterprise"
          device.wifi.securityMode.set="1"
        />
        <!-- WPA2-Enterprise: PEAP validates the RADIUS server against Platform CA 1 or 2 -->
        <WPA2Enterprise.PEAP
          device.wifi.wpa2Ent.method="PEAP-MSCHAPv2"
          device.wifi.wpa2Ent.method.set="1"
          device.wifi.wpa2Ent.user="handset"
          device.wifi.wpa2Ent.user.set="1"
          device.wifi.wpa2Ent.password=""
          device.wifi.wpa2Ent.password.set="0"
          device.sec.tls.customCaCert1=""
          device.sec.tls.customCaCert1.set="0"
          device.sec.TLS.customCaCert2=""
          device.sec.TLS.customCaCert2.set="0"
          device.sec.TLS.profile.caCertList1="All"
          device.sec.TLS.profile.caCertList1.set="0"
          device.sec.TLS.profile.caCertList2="All"
          device.sec.TLS.profile.caCertList2.set="0"
          device.sec.TLS.profileSelection.dot1x="PlatformProfile1"
          device.sec.TLS.profileSelection.dot1x.set="0"
          device.sec.TLS.dot1x.strictCertCommonNameValidation="1"
          device.sec.TLS.dot1x.strictCertCommonNameValidation.set="0"
        />
        <!-- Provisioning server. device.prov.serverType: 0=FTP, 1=TFTP, 2=HTTP, 3=HTTPS, 4=FTPS -->
        <PROVISIONING
          device.prov.serverType="0"
          device.prov.serverType.set="1"
          device.prov.serverName="provisioning.example.com"
          device.prov.serverName.set="1"
          device.prov.user="PlcmSpIp"
          device.prov.user.set="1"
          device.prov.password="PlcmSpIp"
          device.prov.password.set="1"
          device.sec.TLS.profileSelection.provisioning="PlatformProfile2"
          device.sec.TLS.profileSelection.provisioning.set="0"
          device.sec.TLS.prov.strictCertCommonNameValidation="1"
          device.sec.TLS.prov.strictCertCommonNameValidation.set="0"
        />
      </device>
    </polycomConfig>

    """
}
