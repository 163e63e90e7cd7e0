/**
 * The institution's settings (環境設定) the terminal keeps in its store: which consent screens the
 * reader shows (in display order), the 限度額 consent screen, the 処方箋発行形態 choice, and the
 * encoding of the face files. Validated here; stored as one JSON row.
 */
import type { DatabaseSync } from 'node:sqlite';
import { type ConsentFlag, consentFlags, OnshiError, type XmlEncoding } from '@onshi/core';

export const consentLabels: Readonly<Record<ConsentFlag, string>> = {
  PharmacistsInfoConsFlg: '薬剤情報',
  SpecificHealthCheckupsInfoConsFlg: '特定健診情報',
  DiagnosisInfoConsFlg: '診療情報',
  OperationInfoConsFlg: '手術情報',
};

export interface StationSettings {
  readonly consentScreens: readonly ConsentFlag[];
  readonly limitConsentScreen: boolean;
  readonly prescriptionChoice: boolean;
  /** Encoding of the face files (stated in CharacterCodeIdentifier). */
  readonly resultEncoding: XmlEncoding;
}

/**
 * First-start values: 薬剤情報 and 特定健診情報 on, 診療・手術 off (the initial defaults reported
 * for the real 環境設定, oqs-interface.md §4), 限度額 screen on, no prescription choice.
 */
export function defaultSettings(resultEncoding: XmlEncoding): StationSettings {
  return {
    consentScreens: ['PharmacistsInfoConsFlg', 'SpecificHealthCheckupsInfoConsFlg'],
    limitConsentScreen: true,
    prescriptionChoice: false,
    resultEncoding,
  };
}

const invalid = (field: string, detail: string) => new OnshiError('MSG_FIELD_INVALID', { field, detail });

/** A partial change applied to `base`; MSG_FIELD_INVALID for anything unknown or malformed. */
export function applySettingsChange(base: StationSettings, change: unknown): StationSettings {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw invalid('(body)', 'JSON オブジェクトである必要があります');
  }
  const value = change as Record<string, unknown>;
  const known = ['consentScreens', 'limitConsentScreen', 'prescriptionChoice', 'resultEncoding'];
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw invalid(unknown, '未知の項目です');
  let consentScreens = base.consentScreens;
  if (value.consentScreens !== undefined) {
    const list = value.consentScreens;
    if (!Array.isArray(list) || list.some((flag) => !(consentFlags as readonly unknown[]).includes(flag))) {
      throw invalid('consentScreens', `${consentFlags.join(', ')} の配列である必要があります`);
    }
    // Display order is the fixed order of the categories; duplicates collapse.
    consentScreens = consentFlags.filter((flag) => list.includes(flag));
  }
  const flag = (field: 'limitConsentScreen' | 'prescriptionChoice'): boolean => {
    if (value[field] === undefined) return base[field];
    if (typeof value[field] !== 'boolean') throw invalid(field, 'true か false である必要があります');
    return value[field];
  };
  let resultEncoding = base.resultEncoding;
  if (value.resultEncoding !== undefined) {
    if (value.resultEncoding !== 'utf-8' && value.resultEncoding !== 'shift_jis') {
      throw invalid('resultEncoding', 'utf-8 か shift_jis である必要があります');
    }
    resultEncoding = value.resultEncoding;
  }
  return {
    consentScreens,
    limitConsentScreen: flag('limitConsentScreen'),
    prescriptionChoice: flag('prescriptionChoice'),
    resultEncoding,
  };
}

export interface SettingsStore {
  get(): StationSettings;
  /** Validates and stores a partial change; returns the new settings. */
  update(change: unknown): StationSettings;
}

export function createSettingsStore(db: DatabaseSync, defaults: StationSettings): SettingsStore {
  const read = db.prepare("SELECT value FROM settings WHERE key = 'station'");
  const write = db.prepare(
    "INSERT INTO settings (key, value) VALUES ('station', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  // Read once: this store is the row's only writer, so the reader channel's calls need not read,
  // parse and validate it again each time.
  let current: StationSettings | undefined;
  const get = (): StationSettings => {
    if (current === undefined) {
      const row = read.get() as { value: string } | undefined;
      // Stored values go through the same validation, so an old row cannot smuggle in junk.
      current = row === undefined ? defaults : applySettingsChange(defaults, JSON.parse(row.value));
    }
    return current;
  };
  return {
    get,
    update(change) {
      const next = applySettingsChange(get(), change);
      write.run(JSON.stringify(next));
      current = next;
      return next;
    },
  };
}
