<?xml version="1.0" standalone="yes"?>
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
