import { describe, expect, it } from 'vitest';
import { caNameConstraints, deviceCertificateName } from '../../../gateway/provisioning/localCertificates.ts';

describe("the local CA's name constraints", () => {
  it('permit the gateway’s names, its addresses as single hosts, and the devices’ namespace, critically', () => {
    expect(
      caNameConstraints({ dnsNames: ['gateway.clinic.local'], ipAddresses: ['192.168.1.20', 'fd00::20'] }),
    ).toBe(
      'nameConstraints=critical,permitted;DNS:gateway.clinic.local,permitted;DNS:devices.nilecare.invalid,' +
        'permitted;IP:192.168.1.20/255.255.255.255,permitted;IP:fd00::20/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    );
  });

  it('exclude every address when the gateway has none', () => {
    expect(caNameConstraints({ dnsNames: ['gw'], ipAddresses: [] })).toContain(
      'excluded;IP:0.0.0.0/0.0.0.0,excluded;IP:::/::',
    );
  });

  it('name a device inside the devices’ namespace, in lower case', () => {
    expect(deviceCertificateName('SpO2.Bed-3')).toBe('spo2.bed-3.devices.nilecare.invalid');
  });
});
