#!/usr/bin/env python3
"""Writes the project's own .cfg fixtures (Tests/Fixtures/*.cfg and friends).

Written by us, not copied from any real file: each fixture reproduces quirks that real Polycom
and Spectralink files have (see the README, "Tests"), byte for byte, so that a clone with nothing
beside it tests the lossless model, lint, params and the editor on them. The output is committed;
run `python3 Tests/Fixtures/generate.py` after changing this file and commit both. A test checks
that the committed files are what this script writes.

Line endings, byte-order marks and missing final newlines are part of what is tested, so every
file is written as raw bytes (and `.gitattributes` keeps git from touching them).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cfg")
BOM = "\ufeff"

with open(os.path.join(HERE, "source", "example-root.pem")) as f:
    PEM = f.read().strip()
PEM_LINES = PEM.split("\n")
BASE64 = "".join(PEM_LINES[1:-1])


def crlf(text):
    return text.replace("\n", "\r\n")


FILES = {}

# --- A Spectralink 84-Series wireless.cfg, as the certificate guide lays it out -------------------
# CRLF, tabs, an XML declaration, comments between and inside elements, the container
# WPA2Enterprise.PEAP, tls/TLS spellings mixed, the guide's typo cusomCaCert2.set, a PEM with raw
# CRLF newlines inside the value, and trailing white space after an attribute.
FILES["spectralink-wireless.cfg"] = crlf(f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<!-- wireless.cfg for Spectralink 84-Series handsets -->
<!-- Site: Example Hospital, building A -->
<polycomConfig>
\t<device device.set="1">
\t\t<!-- Wireless network -->
\t\t<device.wifi
\t\t\tdevice.wifi.enabled="1"
\t\t\tdevice.wifi.enabled.set="1"
\t\t\tdevice.wifi.ssid="ExampleVoice"
\t\t\tdevice.wifi.ssid.set="1"
\t\t\tdevice.wifi.dhcpEnabled="1"
\t\t\tdevice.wifi.dhcpEnabled.set="1" 
\t\t/>
\t\t<WPA2Enterprise.PEAP
\t\t\tdevice.wifi.securityMode="WPA2-Enterprise"
\t\t\tdevice.wifi.securityMode.set="1"
\t\t\tdevice.wifi.wpa2Ent.method="PEAPv0-MSCHAPv2"
\t\t\tdevice.wifi.wpa2Ent.method.set="1"
\t\t\tdevice.wifi.wpa2Ent.user="handset01"
\t\t\tdevice.wifi.wpa2Ent.user.set="1"
\t\t\tdevice.wifi.wpa2Ent.password="Example-Only-1"
\t\t\tdevice.wifi.wpa2Ent.password.set="1"
\t\t\tdevice.sec.tls.customCaCert1="{crlf(PEM)}"
\t\t\tdevice.sec.tls.customCaCert1.set="1"
\t\t\tdevice.sec.TLS.customCaCert2=""
\t\t\tdevice.sec.TLS.cusomCaCert2.set="0"
\t\t\tdevice.sec.TLS.profileSelection.dot1x="PlatformProfile1"
\t\t\tdevice.sec.TLS.profileSelection.dot1x.set="1"
\t\t\tdevice.sec.tls.profile.caCertList1="All"
\t\t\tdevice.sec.tls.profile.caCertList1.set="1"
\t\t\tdevice.sec.TLS.dot1x.strictCertCommonNameValidation="1"
\t\t\tdevice.sec.TLS.dot1x.strictCertCommonNameValidation.set="1"
\t\t/>
\t\t<!-- Provisioning server: 0 FTP, 1 TFTP, 2 HTTP, 3 HTTPS, 4 FTPS -->
\t\t<device.prov device.prov.serverType="4" device.prov.serverType.set="1"
\t\t\tdevice.prov.serverName="prov.example.com/8400" device.prov.serverName.set="1"
\t\t\tdevice.prov.user="PlcmSpIp" device.prov.user.set="1"
\t\t\tdevice.prov.password="PlcmSpIp" device.prov.password.set="1"/>
\t</device>
</polycomConfig>
""")

# --- A UC Software device.cfg, the way Polycom's tools generate it ---------------------------------
# CRLF, two-space indentation, every parameter's value on its parent element in alphabetical order
# on one long line, each .set flag on a child element closed on its own line, empty values.
def uc_device():
    groups = {
        "device": ["device.hostname", "device.set"],
        "device.prov": ["device.prov.AutoProvEnabled", "device.prov.password", "device.prov.serverName",
                        "device.prov.serverType", "device.prov.tagSerialNo", "device.prov.upgradeServer",
                        "device.prov.user", "device.prov.ztpEnabled"],
        "device.net": ["device.net.dot1x.anonid", "device.net.dot1x.enabled", "device.net.dot1x.identity",
                       "device.net.dot1x.method", "device.net.dot1x.password", "device.net.IPgateway",
                       "device.net.ipStack", "device.net.subnetMask"],
        "device.sec.TLS": ["device.sec.TLS.customCaCert1", "device.sec.TLS.customCaCert2",
                           "device.sec.TLS.customCaCert3", "device.sec.TLS.customDeviceCert1",
                           "device.sec.TLS.customDeviceCert2", "device.sec.TLS.customDeviceCert3",
                           "device.sec.TLS.dot1x.strictCertCommonNameValidation", "device.sec.TLS.FIPS.enabled",
                           "device.sec.TLS.OCSP.enabled", "device.sec.TLS.profile.caCertList1",
                           "device.sec.TLS.profile.caCertList2", "device.sec.TLS.profile.cipherSuite1",
                           "device.sec.TLS.profile.cipherSuiteDefault1", "device.sec.TLS.profile.deviceCert1",
                           "device.sec.TLS.profileSelection.dot1x", "device.sec.TLS.profileSelection.provisioning",
                           "device.sec.TLS.profileSelection.syslog", "device.sec.TLS.prov.strictCertCommonNameValidation",
                           "device.sec.TLS.syslog.strictCertCommonNameValidation"],
        "device.wifi": ["device.wifi.dhcpEnabled", "device.wifi.enabled", "device.wifi.psk.key",
                        "device.wifi.psk.keyType", "device.wifi.radio.band2_4GHz.enable",
                        "device.wifi.radio.band5GHz.enable", "device.wifi.radio.regulatoryDomain",
                        "device.wifi.securityMode", "device.wifi.ssid", "device.wifi.wpa2Ent.anonid",
                        "device.wifi.wpa2Ent.method", "device.wifi.wpa2Ent.password", "device.wifi.wpa2Ent.user"],
    }
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             "<!-- Generated device.cfg Configuration File -->",
             '<polycomConfig xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="polycomConfig.xsd">',
             '  <device device.hostname="" device.set="0">']
    for element, names in groups.items():
        indent = "  " if element == "device" else "    "
        if element != "device":
            values = [n for n in names]
            attrs = " ".join(f'{n}=""' for n in sorted(values, key=str.lower))
            lines.append(f"{indent}<{element} {attrs}>")
        for name in sorted(names, key=str.lower):
            if name == "device.set":
                continue
            lines.append(f'{indent}  <{name} {name}.set="0">')
            lines.append(f"{indent}  </{name}>")
        if element != "device":
            lines.append(f"{indent}</{element}>")
    lines += ["  </device>", "</polycomConfig>", ""]
    return crlf("\n".join(lines))


FILES["uc-device.cfg"] = uc_device()

# --- A master file and a site/MAC pair --------------------------------------------------------------
# LF. The master lists CONFIG_FILES with [PHONE_MAC_ADDRESS] and a per-model variant; site.cfg
# sets the provisioning server and a CA slot; the MAC file registers a line and repeats a setting.
FILES["000000000000.cfg"] = """<?xml version="1.0" standalone="yes"?>
<!-- Default Master SIP Configuration File-->
<!-- Edit and rename this file to <Ethernet-address>.cfg for each phone.-->
<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="[PHONE_MAC_ADDRESS]-user.cfg, site.cfg, wireless.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="overrides" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY="" COREFILE_DIRECTORY="">
  <APPLICATION_SPIP300 APP_FILE_PATH_SPIP300="sip_213.ld" CONFIG_FILES_SPIP300="phone1_213.cfg, sip_213.cfg"/>
  <APPLICATION_SPECTRALINK84 APP_FILE_PATH_SPECTRALINK84="8400.ld" CONFIG_FILES_SPECTRALINK84="[PHONE_MODEL]-site.cfg, wireless.cfg"/>
</APPLICATION>
"""

FILES["site.cfg"] = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- Example site.cfg: what every handset of the site shares -->
<polycomConfig>
  <device device.set="1">
    <device.prov device.prov.serverName="prov.example.com" device.prov.serverName.set="1" device.prov.serverType="3" device.prov.serverType.set="1"/>
    <device.sec.TLS device.sec.TLS.customCaCert2="" device.sec.TLS.customCaCert2.set="1" device.sec.TLS.profileSelection.provisioning="PlatformProfile2" device.sec.TLS.profileSelection.provisioning.set="1"/>
  </device>
  <tcpIpApp tcpIpApp.sntp.address="pool.ntp.org" tcpIpApp.sntp.gmtOffset="3600" tcpIpApp.sntp.gmtOffsetcityID="21"/>
  <voIpProt voIpProt.server.1.address="pbx.example.com" voIpProt.server.1.port="5060"/>
</polycomConfig>
"""

FILES["0004f2abcdef.cfg"] = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- Per-handset file for 00:04:f2:ab:cd:ef -->
<polycomConfig>
  <reg reg.1.address="1001" reg.1.auth.userId="1001" reg.1.auth.password="Example-Only-2" reg.1.displayName="Ward 3 Nurse" reg.1.label="1001" reg.1.lineKeys="2"/>
  <device device.prov.serverName="override.example.com" device.prov.serverName.set="1"/>
</polycomConfig>
"""

# --- Template placeholders of each family -----------------------------------------------------------
# Smarty (FusionPBX style): {$var}, {if}/{else}/{/if} between attributes, {foreach}, spaces around
# '=', duplicate attributes from both branches, a commented-out element holding quotes and {$...}.
FILES["template-smarty.cfg"] = crlf("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PHONE>
\t<REGISTRATION
{foreach $lines as $row}
\t\treg.{$row.line_number}.displayName="{$row.display_name}"
\t\treg.{$row.line_number}.address = "{$row.user_id}@{$row.server_address}"
\t\treg.{$row.line_number}.outboundProxy.address = "{$row.outbound_proxy}"
{/foreach}
\t/>
\t<PROVISION
\t\tdevice.set="1"
\t\tdevice.prov.serverType="{$polycom_server_type}"
\t\tdevice.prov.serverType.set="1"
\t\tdevice.prov.serverName="{$domain_name}/app/provision/"
\t\tdevice.prov.serverName.set="1"
{if isset($polycom_provision_cert_validate)}
\t\tdevice.sec.TLS.prov.strictCertCommonNameValidation="{$polycom_provision_cert_validate}"
{else}
\t\tdevice.sec.TLS.prov.strictCertCommonNameValidation="1"
{/if}
\t\tdevice.sec.TLS.prov.strictCertCommonNameValidation.set ="1"
\t/>
\t<!--<SECURITY sec.srtp.enable="{$polycom_srtp}" sec.srtp.offer="0" />-->
\t<ALERT_INFO voIpProt.SIP.alertInfo.3.class="custom1" voIpProt.SIP.alertInfo.3.class="custom1" voIpProt.SIP.alertInfo.3.value="Ring3" />
</PHONE>
""")

# Jinja2 (Wazo style): every parameter on the root element, {{ }}, {% %}, {# #}, one attribute a
# line with blank lines inside the attribute list, the closing '/>' on its own line.
FILES["template-jinja.tpl"] = """<?xml version="1.0" standalone="yes"?>
{# Common settings for every handset #}
<polycomConfig
  device.set="1"

  device.sntp.serverName="{{ ntp_ip }}"
  device.sntp.serverName.set="1"

  {% if XX_timezone -%}
  tcpIpApp.sntp.gmtOffset="{{ XX_timezone }}"
  {% endif %}
  voIpProt.server.1.address="{{ line['proxy_ip']|e }}"
  voIpProt.server.1.port="{{ line['proxy_port'] or 5060 }}"
  {% block user_settings %}{% endblock %}
  lcl.ml.lang="{{ XX_lang|default('English_United_States') }}"
/>
"""

# Asterisk phoneprov: ${VAR}, a placeholder where an attribute name should be.
FILES["template-asterisk.xml"] = """<?xml version="1.0" standalone="yes"?>
<!-- Asterisk phoneprov template -->
<phone1>
  <reg ${PP_EACH_EXTENSION(${MAC},polycom_line.xml)} />
  <voIpProt>
    <server voIpProt.server.1.address="${SERVER}" voIpProt.server.1.port="${SERVER_PORT}"/>
  </voIpProt>
  <tcpIpApp tcpIpApp.sntp.address="${SERVER}" tcpIpApp.sntp.gmtOffset="${TZOFFSET}"/>
</phone1>
"""

# A bare attribute list with no element at all (an Asterisk line template).
FILES["template-asterisk-line.xml"] = """reg.${LINENUMBER}.displayName="${DISPLAY_NAME}" reg.${LINENUMBER}.address="${USERNAME}" reg.${LINENUMBER}.label="${USERNAME}" reg.${LINENUMBER}.auth.userId="${USERNAME}" reg.${LINENUMBER}.auth.password="${SECRET}"
"""

# Ad hoc markers (##Name##, #file#) and Polycom's own runtime tokens; UTF-8 BOM, CRLF, no final
# newline, mixed tab and space indentation inside one attribute list.
FILES["template-adhoc.cfg"] = BOM + crlf("""<?xml version="1.0" encoding="utf-8"?>
<polycomConfig xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="Config/polycomConfig.xsd">
  <customisations
\tdevice.set="1"
    device.wifi.ssid="##YourSSID##"
\tdevice.wifi.ssid.set="1"
    device.wifi.psk.key="##YourWi-FiPassword##"
    device.wifi.psk.key.set="1"
\tbg.color.bm.1.name="#Your410Background.jpg#"
    log.render.file.upload.path="[PHONE_MAC_ADDRESS]-app.log"
    up.welcomeSoundEnabled="0"/>
</polycomConfig>""")

# Provisioner.net: {$var}, {line_loop} between elements, a '#' banner inside a comment, trailing
# white space after '?>' and '-->', no final newline.
FILES["template-provisioner.cfg"] = """<?xml version="1.0" standalone="yes"?>  
<!--
#######################################################
##  Provisioner.net master file for {$provisioner_processor_info}
#######################################################
-->   
<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="{$mac}_reg.cfg, sip_{$model}.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="">
{line_loop}
  <reg reg.{$line}.address="{$username}" reg.{$line}.label="{$displayname}"/>
{/line_loop}
</APPLICATION>"""

# --- Entities, quoting, empty elements, PEM with character references ------------------------------
FILES["entities-and-quotes.cfg"] = """<?xml version='1.0' encoding='UTF-8'?>
<polycomConfig>
  <device device.set='1'
    device.sec.TLS.customCaCert2="{}"
    device.sec.TLS.customCaCert2.set="1"
    device.prov.user='o&apos;brien &amp; co'
    device.prov.user.set = '1'
    device.hostname="ward&#x20;3 &lt;north&gt; &quot;A&quot; &#233;t&#xE9;"
    device.hostname.set="1" />
  <empty/>
  <empty.spaced />
  <empty.pair></empty.pair>
  <feature feature.enhancedFeatureKeys.enabled="1"></feature>
  <msg msg.bypassInstantMessage="0" msg.mwi.1.subscribe=""
  ></msg>
  <up up.headsetMode="1">
  </up>
  <!-- Raw ampersand in a comment is fine: Disable & enable, clock & time/date -->
  <lcl lcl.datetime.date.format="D,dM" lcl.datetime.time.24HourClock='1'/>
</polycomConfig>
""".format("&#10;".join(PEM_LINES).replace("\n", "") + "&#13;&#10;")

# --- Long lines, a long value, deep nesting ---------------------------------------------------------
def long_and_deep():
    attrs = " ".join(f'softkey.feature.custom{i:03d}.label="Label number {i:03d} of a very long line"'
                     for i in range(1, 201))
    depth = 120
    opens = "".join(f"{'  ' * d}<level{d} level.{d}.value=\"{d}\">\n" for d in range(depth))
    closes = "".join(f"{'  ' * d}</level{d}>\n" for d in reversed(range(depth)))
    long_value = "x" * 6000
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<polycomConfig>\n"
            f"  <softkey {attrs}/>\n"
            f'  <dialplan dialplan.digitmap="{long_value}" dialplan.digitmap.timeOut="3"/>\n'
            f"  <deep>\n{opens}{closes}  </deep>\n"
            f"  <sec sec.TLS.customCaCert.1=\"{BASE64}\" sec.TLS.customCaCert.2=\"\"/>\n"
            f"</polycomConfig>\n")


FILES["long-and-deep.cfg"] = long_and_deep()

# --- Mixed line endings: LF lines, a CRLF line at the end, a lone CR in a comment -------------------
FILES["mixed-endings.cfg"] = ("""<?xml version="1.0" encoding="UTF-8"?>\n"""
                              """<PHONE_CONFIG>\n"""
                              """  <!-- exported from the web page\rsecond line after a lone CR -->\n"""
                              """  <ALL device.prov.serverType="FTP" device.prov.serverType.set="1"\r\n"""
                              """       device.prov.serverName="1" device.prov.serverName.set="1"\n"""
                              """       call.blindTransferSpecialInterop="0" call.BlindTransferSpecialInterop="0"\n"""
                              """       softkey.feature.mystatus="1" softkey.feature.MyStatus="1"\n"""
                              """       device.dhcp.bootSrvUseOpt="CustomAndDefault" device.dhcp.bootSrvUseOpt.set="1"/>\n"""
                              """</PHONE_CONFIG>\r\n""")

# --- Comments everywhere, CDATA, a DOCTYPE, processing instructions ----------------------------------
FILES["comments-and-markup.cfg"] = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?polycom generator="hand"?>
<!DOCTYPE polycomConfig>
<!-- $RCSfile: comments-and-markup.cfg,v $  $Revision: 1.4 $ -->
<!--
  A multi-line comment before the root.
  <device device.set="1"/> is commented out here and must stay a comment.
-->
<polycomConfig>
  <!-- between elements -->
  <device device.set="1"><!-- right after a start tag -->
    <device.sntp device.sntp.serverName="ntp.example.com" device.sntp.serverName.set="1"/><!-- after an empty element -->
    <!--<device.syslog device.syslog.serverName="{$syslog}" device.syslog.serverName.set="1"/>-->
  </device>
  <note><![CDATA[ <not-an-element attr="1"/> & raw ]]></note>
  <text>some text &amp; an entity</text>
  <powersaving.officeHours.duration powerSaving.officeHours.duration.monday="12" powerSaving.officeHours.duration.tuesday="12"/>
</polycomConfig>
<!-- trailing comment -->
"""

# --- Legacy SIP 1.x layout: short element names ------------------------------------------------------
FILES["legacy-sip.cfg"] = crlf("""<?xml version="1.0" standalone="yes"?>
<!-- SIP Application BootROM configuration $Revision: 1.2 $ -->
<sip>
\t<voIpProt>
\t\t<server voIpProt.server.1.address="" voIpProt.server.1.port="0" voIpProt.server.1.expires=""/>
\t\t<SIP>
\t\t\t<outboundProxy voIpProt.SIP.outboundProxy.address="" voIpProt.SIP.outboundProxy.port="0"/>
\t\t</SIP>
\t</voIpProt>
\t<call>
\t\t<donotdisturb call.donotdisturb.perReg="0"/>
\t</call>
</sip>
""")

# --- Not XML at all: the legacy SpectraLink 8020/8030 KEY = value format -----------------------------
FILES["not-xml.cfg"] = """# Legacy SpectraLink 8020/8030 settings (KEY = value)
# This is not XML; slcfg must still read and write it unchanged.
SSID = ExampleVoice
SECURITY = WPA2-PSK
PSK = example-only-passphrase
TFTP_SERVER = 192.0.2.10
"""

# --- A truncated file: the start tag never ends ------------------------------------------------------
FILES["truncated.cfg"] = """<?xml version="1.0" encoding="UTF-8"?>
<polycomConfig>
  <device device.set="1" device.prov.serverName="prov.example.com" device.prov.serverName.set="1"
    device.prov.serverType="3"""

# Which fixtures a conforming XML parser rejects (the others must parse with expat).
NOT_WELL_FORMED = {
    "template-smarty.cfg", "template-jinja.tpl", "template-asterisk.xml", "template-asterisk-line.xml",
    "template-provisioner.cfg", "not-xml.cfg", "truncated.cfg",
}


# --- A provisioning directory (Tests/Fixtures/prov): what a handset reads, in order ----------------
# The master lists a per-handset file, site.cfg, wireless.cfg, a file that does not exist and
# site.cfg again; the model's own list; override files for one handset. site.cfg (CRLF) empties
# Platform CA 2 with .set="1", so wireless.cfg's certificate (LF), listed later, is shadowed.
PROV = {
    "000000000000.cfg": """<?xml version="1.0" standalone="yes"?>
<!-- Master file: what every handset reads first -->
<APPLICATION APP_FILE_PATH="8400.ld" CONFIG_FILES="[PHONE_MAC_ADDRESS]-user.cfg, site.cfg, wireless.cfg, missing.cfg, site.cfg" OVERRIDES_DIRECTORY="overrides" LOG_FILE_DIRECTORY="logs">
  <APPLICATION_SPECTRALINK84 CONFIG_FILES_SPECTRALINK84="[PHONE_MODEL]-site.cfg, wireless.cfg"/>
</APPLICATION>
""",
    "0004f2abcdef-user.cfg": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<polycomConfig>
  <reg reg.1.address="1001" reg.1.label="Ward 3"/>
  <device device.prov.serverName="per-handset.example.com" device.prov.serverName.set="1"/>
</polycomConfig>
""",
    "site.cfg": crlf("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- site.cfg: shared by every handset; read before wireless.cfg -->
<polycomConfig>
  <device device.set="1"
    device.prov.serverType="3" device.prov.serverType.set="1"
    device.prov.serverName="prov.example.com" device.prov.serverName.set="1"
    device.sec.TLS.customCaCert2="" device.sec.TLS.customCaCert2.set="1"
    device.sec.TLS.customCaCert1.set="0"
    device.sec.TLS.profileSelection.provisioning="PlatformProfile2" device.sec.TLS.profileSelection.provisioning.set="1"/>
</polycomConfig>
"""),
    "wireless.cfg": f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<polycomConfig>
  <device device.set="1">
    <WPA2Enterprise.PEAP
      device.wifi.ssid="ExampleVoice"
      device.wifi.ssid.set="1"
      device.sec.TLS.customCaCert1="{BASE64}"
      device.sec.TLS.customCaCert1.set="1"
      device.sec.TLS.customCaCert2="{BASE64}"
      device.sec.TLS.customCaCert2.set="1"
      device.sec.TLS.profile.caCertList2="Platform2"
      device.sec.TLS.profile.caCertList2.set="1"
      device.prov.serverType="4"
    />
  </device>
</polycomConfig>
""",
    "SPECTRALINK84-site.cfg": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<polycomConfig>
  <device device.set="1" device.wifi.ssid="ModelVoice" device.wifi.ssid.set="1"/>
</polycomConfig>
""",
    "overrides/0004f2abcdef-phone.cfg": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PHONE_CONFIG>
  <OVERRIDES device.wifi.ssid="ChangedOnHandset" device.wifi.ssid.set="1"/>
</PHONE_CONFIG>
""",
    "overrides/0004f2abcdef-web.cfg": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<WEB_CONFIG>
  <OVERRIDES device.wifi.ssid="ChangedOnWebPage" reg.1.label="Web label"/>
</WEB_CONFIG>
""",
}


def write_prov(check):
    stale = []
    root = os.path.join(HERE, "prov")
    for name, text in sorted(PROV.items()):
        path = os.path.join(root, name)
        data = text.encode("utf-8")
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        stale.append("prov/" + name)
            except FileNotFoundError:
                stale.append("prov/" + name)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    return stale


def main():
    check = "--check" in sys.argv
    os.makedirs(OUT, exist_ok=True)
    stale = write_prov(check)
    for name, text in sorted(FILES.items()):
        data = text.encode("utf-8")
        path = os.path.join(OUT, name)
        if check:
            with open(path, "rb") as f:
                if f.read() != data:
                    stale.append(name)
        else:
            with open(path, "wb") as f:
                f.write(data)
    listing = "".join(f"{name}\t{'not-well-formed' if name in NOT_WELL_FORMED else 'well-formed'}\n"
                      for name in sorted(FILES))
    index = os.path.join(HERE, "INDEX.tsv")
    if check:
        with open(index) as f:
            if f.read() != listing:
                stale.append("INDEX.tsv")
        extra = sorted(set(os.listdir(OUT)) - set(FILES))
        stale += extra
        if stale:
            print("stale fixtures: " + ", ".join(stale), file=sys.stderr)
            sys.exit(1)
    else:
        with open(index, "w") as f:
            f.write(listing)


if __name__ == "__main__":
    main()
