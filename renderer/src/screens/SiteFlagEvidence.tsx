// Issue 15 (wt-15s): the evidence behind each flag only the site hub can raise, in the review detail.
import { useTranslation } from 'react-i18next';
import type { SiteFlagEvidence as Evidence } from '../../../contract/index.js';
import { formatDateTime } from '../ui/format.js';

/** One table per site flag: what repeated, how often, and each sighting (bench or WMS, when, which RMA / parcel / item). */
export function SiteFlagEvidence({ flags }: { flags: readonly Evidence[] | undefined }) {
  const { t, i18n } = useTranslation();
  if (!flags || flags.length === 0) return null;
  const at = (iso: string): string => (Number.isNaN(Date.parse(iso)) ? iso : formatDateTime(iso, i18n.language));
  return (
    <section className="site-flag-evidence" data-testid="site-flag-evidence">
      <h4>{t('siteRules.evidence.title')}</h4>
      {flags.map((f) => {
        // Receipts have no LPN and WMS history no parcel: a column nobody fills is left out of the narrow panel.
        const withParcel = f.occurrences.some((o) => o.parcelId);
        const withLpn = f.occurrences.some((o) => o.lpn);
        return (
        <div key={f.code} className="card" data-testid="site-flag" data-code={f.code}>
          <p>
            <em className="tag">{t(`flag.${f.code}`)}</em>{' '}
            {f.code === 'site_serial_returner'
              ? t('siteRules.evidence.returner', { customer: f.subject, count: f.count, days: f.windowDays ?? 0, threshold: f.threshold ?? 0 })
              : t(`siteRules.evidence.${f.code}`, { subject: f.subject, count: f.count })}
          </p>
          <table className="table small">
            <thead>
              <tr>
                <th>{t('siteRules.evidence.where')}</th>
                <th>{t('siteRules.evidence.when')}</th>
                <th>{t('intake.rma')}</th>
                {withParcel && <th>{t('siteRules.evidence.parcel')}</th>}
                {withLpn && <th>LPN</th>}
              </tr>
            </thead>
            <tbody>
              {f.occurrences.map((o, i) => (
                <tr key={i}>
                  {/* The bench id with non-breaking hyphens: "Bench" may go above it, "BENCH-|A" does not split. */}
                  <td>{o.source === 'wms' ? t('siteRules.evidence.wms') : t('siteRules.evidence.bench', { bench: (o.stationId ?? '').replace(/-/g, '\u2011') })}</td>
                  <td>{at(o.at)}</td>
                  <td className="mono evidence-nowrap">{o.rmaNumber ?? ''}</td>
                  {withParcel && <td className="mono small evidence-id">{o.parcelId ?? ''}</td>}
                  {withLpn && <td className="mono small">{o.lpn ?? ''}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        );
      })}
    </section>
  );
}
