import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Category } from '../../../contract/index.js';
import { useScan, useSingleKeys } from '../scanner/ScannerProvider.js';

/**
 * An item whose barcode the catalogue does not know: the station grades it by the SKU on its tag and a category
 * (item.grade's unexpected.sku / unexpected.category), so the bench asks for both before the grade. Without this
 * the station could only answer "type its SKU" with nowhere to type it. A scan while this shows is the tag's SKU.
 */
export function UnknownProductForm({ gtin, onDescribed, onCancel }: { gtin: string; onDescribed: (sku: string, category: Category) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [sku, setSku] = useState('');
  const [category, setCategory] = useState<Category | ''>('');
  const skuField = useRef<HTMLInputElement>(null);
  useEffect(() => skuField.current?.focus(), []);
  // An IME left in full-width mode types ＡＢＣ－１: the SKU is kept as the ASCII it stands for.
  const cleaned = sku.normalize('NFKC').trim();
  const ready = cleaned.length > 0 && cleaned.length <= 64 && category !== '';

  useScan((scan) => {
    // The input hub answers it (tone and notice): the form has no place of its own to say why.
    if (scan.kind !== 'scan') return 'pass';
    setSku(scan.text);
  });
  useSingleKeys((key) => {
    if (/^F\d+$/.test(key)) return 'pass';
    if (key === 'Escape') onCancel();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) onDescribed(cleaned, category);
  };
  return (
    <form className="card form unknown-product" onSubmit={submit} data-testid="unknown-product">
      <h3>{t('unknownProduct.title', { code: gtin })}</h3>
      <p className="hint">{t('unknownProduct.hint')}</p>
      <label htmlFor="unknown-product-sku">{t('unknownProduct.sku')}</label>
      <input
        id="unknown-product-sku"
        ref={skuField}
        className="input"
        value={sku}
        maxLength={64}
        onChange={(e) => setSku(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        data-testid="unknown-product-sku"
      />
      <label htmlFor="unknown-product-category">{t('unknownProduct.category')}</label>
      <select
        id="unknown-product-category"
        className="input"
        value={category}
        onChange={(e) => setCategory(e.target.value === '' ? '' : Category.parse(e.target.value))}
        data-testid="unknown-product-category"
      >
        <option value="">{t('unknownProduct.choose')}</option>
        {Category.options.map((c) => (
          <option key={c} value={c}>
            {t(`category.${c}`)}
          </option>
        ))}
      </select>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel} data-testid="unknown-product-cancel">
          {t('grade.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={!ready} data-testid="unknown-product-submit">
          {t('unknownProduct.submit')}
        </button>
      </div>
    </form>
  );
}
