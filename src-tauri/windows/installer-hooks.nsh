; Dertien's additions to Tauri's NSIS installer (bundle.windows.nsis.installerHooks):
; "Open with › Dertien" for the four spreadsheet types, never the default.
;
; Tauri's own file associations (bundle.fileAssociations) are switched off on
; Windows (tauri.windows.conf.json): its installer would make Dertien's class
; the default of each extension (HKCU\Software\Classes\.xlsx = Dertien.xlsx),
; taking double-click away from Excel wherever the user never chose, and its
; uninstaller would write back the default it saved at install time, erasing
; whatever was chosen since. Dertien registers the way Windows documents for
; an application that handles a type without owning it:
;
;   Software\Classes\Dertien.xlsx                          the class (ProgID): its name, icon and open command
;   Software\Classes\.xlsx\OpenWithProgids  Dertien.xlsx   lists that class under "Open with"
;   Software\Classes\Applications\dertien.exe              the program, with the types it supports
;
; and never writes or deletes the default value of Software\Classes\.xlsx.
; Everything goes to SHCTX: HKCU for this per-user installer. The MSI does the
; same in HKLM (windows/open-with.wxs); tests/release.rs reads both files.

!macro DERTIEN_OPEN_WITH EXT DESCRIPTION
  WriteRegStr SHCTX "Software\Classes\Dertien.${EXT}" "" "${DESCRIPTION}"
  WriteRegStr SHCTX "Software\Classes\Dertien.${EXT}\DefaultIcon" "" `"$INSTDIR\${MAINBINARYNAME}.exe",0`
  WriteRegStr SHCTX "Software\Classes\Dertien.${EXT}\shell\open\command" "" `"$INSTDIR\${MAINBINARYNAME}.exe" "%1"`
  WriteRegStr SHCTX "Software\Classes\.${EXT}\OpenWithProgids" "Dertien.${EXT}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${MAINBINARYNAME}.exe\SupportedTypes" ".${EXT}" ""
!macroend

!macro DERTIEN_FORGET_OPEN_WITH EXT
  DeleteRegValue SHCTX "Software\Classes\.${EXT}\OpenWithProgids" "Dertien.${EXT}"
  DeleteRegKey SHCTX "Software\Classes\Dertien.${EXT}"
!macroend

!macro NSIS_HOOK_POSTINSTALL
  ; The program itself, as "Open with" and "Choose another app" name it.
  WriteRegStr SHCTX "Software\Classes\Applications\${MAINBINARYNAME}.exe" "FriendlyAppName" "${PRODUCTNAME}"
  WriteRegStr SHCTX "Software\Classes\Applications\${MAINBINARYNAME}.exe\DefaultIcon" "" `"$INSTDIR\${MAINBINARYNAME}.exe",0`
  WriteRegStr SHCTX "Software\Classes\Applications\${MAINBINARYNAME}.exe\shell\open\command" "" `"$INSTDIR\${MAINBINARYNAME}.exe" "%1"`
  !insertmacro DERTIEN_OPEN_WITH "xlsx" "Excel workbook"
  !insertmacro DERTIEN_OPEN_WITH "xls" "Excel 97-2003 workbook"
  !insertmacro DERTIEN_OPEN_WITH "ods" "OpenDocument spreadsheet"
  !insertmacro DERTIEN_OPEN_WITH "csv" "Comma-separated values"
  ; Explorer reads the associations again (SHChangeNotify).
  !insertmacro UPDATEFILEASSOC
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  !insertmacro DERTIEN_FORGET_OPEN_WITH "xlsx"
  !insertmacro DERTIEN_FORGET_OPEN_WITH "xls"
  !insertmacro DERTIEN_FORGET_OPEN_WITH "ods"
  !insertmacro DERTIEN_FORGET_OPEN_WITH "csv"
  DeleteRegKey SHCTX "Software\Classes\Applications\${MAINBINARYNAME}.exe"
  !insertmacro UPDATEFILEASSOC
!macroend
